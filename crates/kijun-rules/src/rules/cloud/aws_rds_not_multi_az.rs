//! KJ-C6-001 `aws-rds-not-multi-az`: an RDS DB instance without a standby in another
//! Availability Zone (`multi_az` / CloudFormation `MultiAZ` not true; the RDS API default is
//! false, one zone).
//!
//! why: 第100条第2項 asks for redundancy of the systems that hold information of availability 2;
//! a single-AZ instance stops with its zone. An Aurora instance of CloudFormation
//! (`DBClusterIdentifier`) is not judged here: its cluster places the copies.

use crate::declarative::run_all;
use crate::facts::availability::RDS_MULTI_AZ;
use crate::{catalogue::Declarative, util, Ctx, Hit};
use kijun_model::Resource;
use std::sync::OnceLock;

fn specs() -> &'static [Declarative] {
    static S: OnceLock<Vec<Declarative>> = OnceLock::new();
    S.get_or_init(|| {
        [
            ("aws_db_instance", RDS_MULTI_AZ.terraform.switch),
            ("AWS::RDS::DBInstance", RDS_MULTI_AZ.cloudformation.switch),
        ]
        .into_iter()
        .map(|(kind, attr)| Declarative::on(&[kind], attr).equals(true).unset_means(false))
        .collect()
    })
}

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    let names = RDS_MULTI_AZ.of(r);
    if names
        .not_applicable
        .iter()
        .any(|a| util::set(r, a).is_some())
    {
        return;
    }
    run_all(specs(), r, out);
}
