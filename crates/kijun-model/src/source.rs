//! Source files and positions. Spans are byte offsets; lines and columns are computed only when
//! a report needs them.

use std::sync::OnceLock;

/// Index of a file in [`Sources`].
pub type FileId = u32;

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Origin {
    pub fn new(file: FileId, start: usize, end: usize) -> Origin {
        Origin {
            file,
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
        }
    }
}

/// One scanned (or module-loaded) file.
#[derive(Debug)]
pub struct SourceFile {
    /// Path as reported: relative to the current directory, `/`-separated.
    pub path: String,
    pub text: String,
    line_starts: OnceLock<Vec<u32>>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> SourceFile {
        SourceFile {
            path: path.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| {
            let mut v = vec![0u32];
            for (i, b) in self.text.bytes().enumerate() {
                if b == b'\n' {
                    v.push(u32::try_from(i + 1).unwrap_or(u32::MAX));
                }
            }
            v
        })
    }

    /// 1-based line and column of a byte offset. Columns count Unicode scalar values, so a
    /// Japanese comment before a value does not shift it; a leading BOM is not counted, and the
    /// `\r` of a CRLF pair belongs to the line it ends.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        let starts = self.line_starts();
        let offset = offset.min(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        let idx = match starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let line_start = starts.get(idx).copied().unwrap_or(0) as usize;
        let mut end = offset as usize;
        while end > line_start && !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let segment = self.text.get(line_start..end).unwrap_or("");
        let mut col = segment.chars().count() as u32 + 1;
        if idx == 0 && segment.starts_with('\u{feff}') {
            col -= 1;
        }
        (idx as u32 + 1, col)
    }

    /// The text of 1-based line `line`, without its line ending.
    pub fn line_text(&self, line: u32) -> &str {
        let starts = self.line_starts();
        let Some(&s) = starts.get((line as usize).saturating_sub(1)) else {
            return "";
        };
        let e = starts
            .get(line as usize)
            .map(|&e| e as usize)
            .unwrap_or(self.text.len());
        self.text
            .get(s as usize..e)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }
}

/// Every file of a scan, addressed by [`FileId`].
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    pub fn new() -> Sources {
        Sources::default()
    }

    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        u32::try_from(self.files.len() - 1).unwrap_or(u32::MAX)
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id as usize)
    }

    pub fn path(&self, id: FileId) -> &str {
        self.get(id).map(|f| f.path.as_str()).unwrap_or("")
    }

    pub fn find(&self, path: &str) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.path == path)
            .and_then(|i| u32::try_from(i).ok())
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (u32::try_from(i).unwrap_or(u32::MAX), f))
    }

    /// (line, column, end line, end column) of an origin, 1-based.
    pub fn position(&self, at: Origin) -> (u32, u32, u32, u32) {
        match self.get(at.file) {
            Some(f) => {
                let (l, c) = f.line_col(at.start);
                let (el, ec) = f.line_col(at.end);
                (l, c, el, ec)
            }
            None => (1, 1, 1, 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let f = SourceFile::new("a.tf", "# 日本語\nx = 1\r\n  y = 2\n");
        let y = f.text.find('y').unwrap() as u32;
        assert_eq!(f.line_col(y), (3, 3));
        let eq = f.text.find('=').unwrap() as u32;
        assert_eq!(f.line_col(eq), (2, 3));
        assert_eq!(f.line_text(2), "x = 1");
    }

    #[test]
    fn bom_is_not_a_column() {
        let f = SourceFile::new("a.tf", "\u{feff}x = 1");
        assert_eq!(f.line_col(3), (1, 1));
    }
}
