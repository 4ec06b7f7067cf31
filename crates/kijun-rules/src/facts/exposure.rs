//! Network exposure: where a resource says whether it is reachable from the internet and from
//! which addresses, as each platform spells it. The inbound rules of security groups and
//! firewalls are in [`super::network`]; this file holds the endpoints a service exposes itself.

use crate::facts::platform::Spelling;

/// A public endpoint with a switch and an allow-list of source ranges, in one nested block.
#[derive(Clone, Copy, Debug)]
pub struct Endpoint {
    pub block: Spelling,
    /// Turns the public endpoint on.
    pub public: Spelling,
    /// The CIDR ranges allowed to reach it.
    pub cidrs: Spelling,
}

/// The API server endpoint of an EKS cluster: `vpc_config { endpoint_public_access,
/// public_access_cidrs }`, `ResourcesVpcConfig: { EndpointPublicAccess, PublicAccessCidrs }`.
pub const EKS_ENDPOINT: Endpoint = Endpoint {
    block: Spelling::aws("vpc_config", "ResourcesVpcConfig"),
    public: Spelling::aws("endpoint_public_access", "EndpointPublicAccess"),
    cidrs: Spelling::aws("public_access_cidrs", "PublicAccessCidrs"),
};
