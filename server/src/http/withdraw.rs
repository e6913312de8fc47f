//! "Withdraw my contribution" (`crate::service::withdraw`).

use axum::Json;
use axum::extract::{Path, State};
use coboard_shared::api::withdraw::{Receipt, WithdrawRequest};

use super::items::ItemPath;
use super::{AppState, BodyOrDefault, Contributor, Link};
use crate::error::AppError;

pub(super) async fn withdraw(
    State(state): State<AppState>,
    link: Link<Contributor>,
    Path(ItemPath { item }): Path<ItemPath>,
    BodyOrDefault(req): BodyOrDefault<WithdrawRequest>,
) -> Result<Json<Receipt>, AppError> {
    let receipt = (state.features.withdraw)
        .withdraw(&link.board, &item, link.grant.role, req.key.as_deref())
        .await?;
    Ok(Json(receipt))
}
