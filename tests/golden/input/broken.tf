# A file with a syntax error: reported under input errors with its position; the rest of the
# scan goes on.
resource "aws_s3_bucket" "logs" {
  bucket = "agency-portal-logs"
