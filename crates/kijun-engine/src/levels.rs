//! The levels of a resource's information (細則 第5条, 別表1: 機密性 1–3, 完全性 1–2, 可用性 1–2)
//! and where they came from: the value type that configuration, classification and findings share.

use kijun_rules::Axis;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ClassSource {
    #[default]
    Default,
    Config,
    Tag,
}

impl ClassSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ClassSource::Default => "default",
            ClassSource::Config => "config",
            ClassSource::Tag => "tag",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Classification {
    /// 機密性 1–3.
    pub confidentiality: u8,
    /// 完全性 1–2.
    pub integrity: u8,
    /// 可用性 1–2.
    pub availability: u8,
    pub source: ClassSource,
}

impl Default for Classification {
    /// why: "treat as 要保護情報 until declared otherwise" is the conservative reading of the
    /// rulebook (CONTROLS.md §0): 2/2/2 unless the project or the resource says otherwise.
    fn default() -> Classification {
        Classification {
            confidentiality: 2,
            integrity: 2,
            availability: 2,
            source: ClassSource::Default,
        }
    }
}

impl Classification {
    pub fn level(&self, axis: Axis) -> u8 {
        match axis {
            Axis::Confidentiality => self.confidentiality,
            Axis::Integrity => self.integrity,
            Axis::Availability => self.availability,
        }
    }
}
