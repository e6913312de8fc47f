//! Calls to the server's REST API.

use coboard_shared::api::{ApiError, BoardInfo, CreateBoard};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestInit, Response};

/// Shown when the request never got an answer.
const UNREACHABLE: &str =
    "Could not reach the Coboard server. Check your internet connection and try again.";

/// Creates a board; the error is a sentence to show to people.
pub async fn create_board(title: &str) -> Result<BoardInfo, String> {
    let body = serde_json::to_string(&CreateBoard {
        title: title.to_owned(),
        template: "blank".to_owned(),
    })
    .map_err(|e| e.to_string())?;
    let (status, text) = post_json("/api/boards", &body)
        .await
        .map_err(|_| UNREACHABLE.to_owned())?;
    if (200..300).contains(&status) {
        serde_json::from_str(&text)
            .map_err(|_| "The server sent an answer we did not understand.".to_owned())
    } else {
        Err(serde_json::from_str::<ApiError>(&text)
            .map(|e| e.error)
            .unwrap_or_else(|_| format!("The board could not be created (error {status}).")))
    }
}

async fn post_json(path: &str, body: &str) -> Result<(u16, String), JsValue> {
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(body));
    let headers = Headers::new()?;
    headers.set("content-type", "application/json")?;
    init.set_headers(&headers);
    let req = Request::new_with_str_and_init(path, &init)?;
    let resp: Response = JsFuture::from(leptos::prelude::window().fetch_with_request(&req))
        .await?
        .dyn_into()?;
    let text = JsFuture::from(resp.text()?).await?;
    Ok((resp.status(), text.as_string().unwrap_or_default()))
}
