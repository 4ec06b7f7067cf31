//! KJ-N4-008 `azure-storage-blob-public-access`: an Azure storage account that lets containers
//! and blobs be made public (`allow_nested_items_to_be_public`), or a container that is public
//! (`container_access_type` `blob` or `container`).
//!
//! The documented default of `allow_nested_items_to_be_public` changed with the azurerm provider:
//! `true` up to 4.x, `false` from 5.0 (5.0 upgrade guide). The scan does not know the provider
//! version, so an unset value is reported as not evaluated.

use crate::{util, Ctx, Hit};
use kijun_model::Resource;

pub fn check(_ctx: &Ctx, r: &Resource, out: &mut Vec<Hit>) {
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
                    let is = util::is(attr, n);
                    out.push(Hit::value(
                        n,
                        util::t(
                            format!(
                                "{}。コンテナーや BLOB を匿名アクセス可能（パブリック）にできます",
                                is.ja
                            ),
                            format!(
                                "{}, so containers and blobs can be made anonymously readable",
                                is.en
                            ),
                        ),
                    ));
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
            if n.as_str().is_some_and(|s| {
                s.eq_ignore_ascii_case("blob") || s.eq_ignore_ascii_case("container")
            }) {
                let is = util::is(attr, n);
                out.push(Hit::value(
                    n,
                    util::t(
                        format!("{}。コンテナー内の BLOB が認証なしで読み取れます", is.ja),
                        format!(
                            "{}, so the container's blobs can be read without authentication",
                            is.en
                        ),
                    ),
                ));
            }
        }
        _ => {}
    }
}
