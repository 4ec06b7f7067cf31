//! The facts layer: what the configuration says, adapted from every format into one concept,
//! so that rules read facts and never other rules. A helper two rules need belongs here (or in
//! [`crate::util`] when it is only phrasing); `tests/rule_isolation` in this crate fails when a
//! rule file imports another rule file.
//!
//! - [`platform`]: the adapters: which schema a kind follows (Terraform, CloudFormation, ARM),
//!   and [`platform::ByPlatform`]/[`platform::Spelling`], a value or name per platform picked
//!   for a resource. The concept facts below hold the spellings; rules never test a kind prefix.
//! - [`at_rest`]: encryption switches, keys and service-managed encryption per service;
//!   [`availability`]: zones, failover, backups; [`credentials`]: IAM keys; [`exposure`]:
//!   public endpoints.
//! - [`links`]: whether an attribute of one resource designates another (references, copied
//!   values, literal identifiers).
//! - [`tls`]: named TLS policies of the clouds, protocol versions and cipher-suite classes;
//!   listener protocol and policy names.
//! - [`cryptrec`]: the CRYPTREC verdicts and security strengths of `policies/data/cryptrec.toml`.
//! - [`logging`]: where Azure diagnostic settings send which log categories; log retention,
//!   trail and flow-log destinations.
//! - [`network`]: inbound allow rules of security groups, NACLs, NSGs and firewalls as one shape;
//!   [`egress`] the outbound ones; [`ipv6`] settings that turn IPv6 on.
//! - [`keys`]: whether a key attribute names a customer-managed key; KMS key spec and rotation;
//!   how Key Vault keys and SSH public keys are spelled. [`ssh`]: an SSH public key's type and size.
//! - [`regions`]: where a resource's data is stored, and whether that region is allowed;
//!   replica lists and replication destinations.
//! - [`k8s`]: Kubernetes workloads, pod specs, selectors and NetworkPolicies.
//! - [`signing`]: Lambda code signing and Route 53 DNSSEC settings.
//! - [`placeholder`]: template placeholders (`<image_url>`, `${VAR}`), which are not values.

pub mod at_rest;
pub mod availability;
pub mod credentials;
pub mod cryptrec;
pub mod egress;
pub mod exposure;
pub mod ipv6;
pub mod k8s;
pub mod keys;
pub mod links;
pub mod logging;
pub mod network;
pub mod placeholder;
pub mod platform;
pub mod regions;
pub mod signing;
pub mod ssh;
pub mod tls;
