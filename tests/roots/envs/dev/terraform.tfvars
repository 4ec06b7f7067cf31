encrypt_data = false
