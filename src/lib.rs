//! kijun as a library: the pure engine and its model, for embedding (the CLI is `kijun-cli`).

pub use kijun_engine as engine;
pub use kijun_model as model;
pub use kijun_rules as rules;
pub use kijun_terraform as terraform;
