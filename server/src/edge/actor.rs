//! Resolves every request to an `Actor` before any handler runs: a bearer
//! token (an API key `fbk_…` or a session `fbs_…`), else the session
//! cookie, else anonymous. `X-Role` picks the acting role among those the
//! user holds (as in NocoBase); an API key is bound to its own role.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::HeaderMap;
use axum::http::header::USER_AGENT;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use service::{Actor, Error, Origin, api_keys, sessions};

use crate::api_error::ApiError;
use crate::edge::cookie::{bearer_token, session_token};
use crate::edge::url_credentials;
use crate::state::AppState;

/// Paths that never act for anyone: no session lookup for them.
const ANONYMOUS_PATHS: &[&str] = &["/pkg/", "/healthz", "/readyz", "/favicon"];

pub async fn resolve(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if ANONYMOUS_PATHS.iter().any(|p| path.starts_with(p)) {
        return next.run(request).await;
    }
    if url_credentials::carries_credentials(request.uri()) {
        return url_credentials::refusal();
    }
    let headers = request.headers();
    // The peer address; `X-Forwarded-For` only from a configured proxy, so
    // a client cannot pick its own address to dodge the sign-in limits.
    let ip = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| client_ip(peer.ip(), headers, &state.trusted_proxies).to_string());
    let user_agent = headers
        .get(USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let origin = Origin { ip, user_agent };
    let token = bearer_token(headers).or_else(|| session_token(headers, state.secure_cookies));
    let role = headers
        .get("x-role")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let actor = match token {
        None => Actor::anonymous(origin),
        // A bad key is refused here, not downgraded to anonymous: the client
        // meant to authenticate, and every cause gets the same 401.
        Some(token) if token.starts_with(api_keys::PREFIX) => {
            match api_keys::resolve(&state.services, &token, role.as_deref(), origin).await {
                Ok(actor) => actor,
                Err(error) => return ApiError(error).into_response(),
            }
        }
        Some(token) => {
            match sessions::resolve(&state.services, &token, role.as_deref(), origin.clone()).await
            {
                Ok(actor) => actor,
                // A stale cookie or token: carry on as anonymous; what needs a
                // user answers 401 itself.
                Err(Error::Unauthenticated) => Actor::anonymous(origin),
                Err(error) => return ApiError(error).into_response(),
            }
        }
    };
    request.extensions_mut().insert(actor);
    next.run(request).await
}

/// The client behind a trusted proxy: the right-most `X-Forwarded-For` hop
/// that is not itself a trusted proxy (hops further left are whatever the
/// client claimed). Any other peer is the client.
fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    for hop in hops.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => continue,
            Ok(ip) => return ip,
            Err(_) => return peer,
        }
    }
    peer
}

/// The request's actor, for handlers.
pub struct CurrentActor(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for CurrentActor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(CurrentActor(actor_of(parts)))
    }
}

/// The actor the middleware stored (anonymous when it skipped the path).
pub fn actor_of(parts: &Parts) -> Actor {
    parts
        .extensions
        .get::<Actor>()
        .cloned()
        .unwrap_or_else(|| Actor::anonymous(Origin::default()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn forwarded_for_counts_only_from_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let peer: IpAddr = "203.0.113.9".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("1.2.3.4, 198.51.100.7, 10.0.0.1"),
        );
        // Not a proxy: its claim is ignored.
        assert_eq!(client_ip(peer, &headers, &[proxy]), peer);
        // Through the proxy: the right-most hop that is not a proxy.
        let client: IpAddr = "198.51.100.7".parse().unwrap();
        assert_eq!(client_ip(proxy, &headers, &[proxy]), client);
        // No header, or garbage: the proxy itself.
        assert_eq!(client_ip(proxy, &HeaderMap::new(), &[proxy]), proxy);
        headers.insert("x-forwarded-for", HeaderValue::from_static("not-an-ip"));
        assert_eq!(client_ip(proxy, &headers, &[proxy]), proxy);
    }
}
