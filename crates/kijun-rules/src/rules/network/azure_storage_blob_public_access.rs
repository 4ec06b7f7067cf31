//! KJ-N4-008 `azure-storage-blob-public-access`: an Azure storage account that lets containers
//! and blobs be made public (`allow_nested_items_to_be_public`), or a container that is public
//! (`container_access_type` `blob` or `container`).
//!
//! The documented default of `allow_nested_items_to_be_public` changed with the azurerm provider:
//! `true` up to 4.x, `false` from 5.0 (5.0 upgrade guide). The scan does not know the provider
//! version, so an unset value is reported as not evaluated.
//!
//! ARM templates have the same settings under `properties`: `allowBlobPublicAccess` of
//! `Microsoft.Storage/storageAccounts`, whose default also changed (true before API version
//! 2023-01-01, false from it; kijun's model does not keep the resource's `apiVersion`, so unset
//! is not evaluated there either), and `publicAccess` (`None`, `Blob`, `Container`; default
//! `None`) of `Microsoft.Storage/storageAccounts/blobServices/containers`.

use crate::facts::platform::ByPlatform;
use crate::{util, Ctx, Hit};
use kijun_model::{Node, Resource, Text};

const READ: ByPlatform<fn(&Resource, &mut Vec<Hit>)> = ByPlatform::azure(terraform, arm);

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
    (READ.of(r))(r, out);
}

fn account_text(attr: &str, n: &Node) -> Text {
    let is = util::is(attr, n);
    util::t(
        format!("{}。コンテナーや BLOB を匿名アクセス可能（パブリック）にできます", is.ja),
        format!("{}, so containers and blobs can be made anonymously readable", is.en),
    )
}

fn container_text(attr: &str, n: &Node) -> Text {
    let is = util::is(attr, n);
    util::t(
        format!("{}。コンテナー内の BLOB が認証なしで読み取れます", is.ja),
        format!("{}, so the container's blobs can be read without authentication", is.en),
    )
}

fn is_public_level(n: &Node) -> bool {
    n.as_str()
        .is_some_and(|s| s.eq_ignore_ascii_case("blob") || s.eq_ignore_ascii_case("container"))
}

fn arm(r: &Resource, out: &mut Vec<Hit>) {
    let props = match util::set(r, "properties") {
        Some(p) if p.is_unknown() => {
            out.push(Hit::unknown(p, "properties"));
            return;
        }
        p => p,
    };
    let child = |k: &str| props.and_then(|p| p.child(k)).filter(|n| !n.is_null());
    if r.kind.eq_ignore_ascii_case("Microsoft.Storage/storageAccounts") {
        let attr = "properties.allowBlobPublicAccess";
        match child("allowBlobPublicAccess") {
            Some(n) if n.is_unknown() => out.push(Hit::unknown(n, attr)),
            Some(n) if n.as_bool() == Some(true) => {
                out.push(Hit::value(n, account_text(attr, n)))
            }
            Some(_) => {}
            None => out.push(Hit::not_evaluated(Hit::missing(
                r,
                util::t(
                    format!("`{attr}` が設定されていません。既定値は API バージョン 2023-01-01 以降では false、それより前では true であり、判定できません。`allowBlobPublicAccess: false` を明示してください"),
                    format!("`{attr}` is not set; its default is false from API version 2023-01-01 but true before, so it cannot be judged. Set `allowBlobPublicAccess: false` explicitly"),
                ),
            ))),
        }
    } else if r
        .kind
        .eq_ignore_ascii_case("Microsoft.Storage/storageAccounts/blobServices/containers")
    {
        let attr = "properties.publicAccess";
        // documented default: None
        match child("publicAccess") {
            Some(n) if n.is_unknown() => out.push(Hit::unknown(n, attr)),
            Some(n) if is_public_level(n) => out.push(Hit::value(n, container_text(attr, n))),
            _ => {}
        }
    }
}

fn terraform(r: &Resource, out: &mut Vec<Hit>) {
    match r.kind.as_str() {
        "azurerm_storage_account" => {
            // `allow_blob_public_access` is the azurerm 2.x name of the same setting.
            let mut seen = false;
            for attr in [
                "allow_nested_items_to_be_public",
                "allow_blob_public_access",
            ] {
                let Some(n) = util::set(r, attr) else {
                    continue;
                };
                seen = true;
                if n.is_unknown() {
                    out.push(Hit::unknown(n, attr));
                } else if n.as_bool() == Some(true) {
                    out.push(Hit::value(n, account_text(attr, n)));
                }
            }
            if !seen {
                out.push(Hit {
                    not_evaluated: true,
                    ..Hit::missing(
                        r,
                        util::t(
                            "`allow_nested_items_to_be_public` が設定されていません。既定値は azurerm プロバイダ 5.0 以降では false、4.x 以前では true であり、使用するプロバイダのバージョンによって変わります。`allow_nested_items_to_be_public = false` を明示してください",
                            "`allow_nested_items_to_be_public` is not set; its default is false from azurerm provider 5.0 but true in 4.x and earlier, so the result depends on the provider version. Set `allow_nested_items_to_be_public = false` explicitly",
                        ),
                    )
                });
            }
        }
        "azurerm_storage_container" => {
            let attr = "container_access_type";
            // documented default: private
            let Some(n) = util::set(r, attr) else {
                return;
            };
            if n.is_unknown() {
                out.push(Hit::unknown(n, attr));
                return;
            }
            if is_public_level(n) {
                out.push(Hit::value(n, container_text(attr, n)));
            }
        }
        _ => {}
    }
}
