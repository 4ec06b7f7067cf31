//! Every format besides Terraform source: Terraform plan JSON, CloudFormation, Azure ARM
//! templates and Kubernetes manifests, each read from a position-keeping tree (JSON or YAML)
//! into the one resource model. No I/O; documents arrive as parsed trees.

pub mod arm;
pub mod cloudformation;
pub mod kubernetes;
pub mod plan;
pub mod tree;

pub use tree::json_to_node;
