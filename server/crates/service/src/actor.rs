//! Who a request acts for. The HTTP edge resolves every request to an
//! `Actor` before any handler runs; every service function takes `&Actor`
//! and checks permissions itself, so the UI, the REST API and the workflow
//! engine cannot disagree about what is allowed.

use std::sync::Arc;

use model::identity::{RolePermissions, SystemPermission};

use crate::{Error, Result};

/// Where a request came from, recorded in the audit log. `ip` is the peer
/// address (proxies are not trusted unless configured).
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Actor {
    pub principal: Principal,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub enum Principal {
    Anonymous,
    User(SignedIn),
    /// Ferrobase itself, on an operator's behalf (first-run set-up from the
    /// environment, `ferrobase create-admin`). Holds no permissions; named
    /// so the audit log says who acted.
    System(&'static str),
}

/// A signed-in user acting as one of their roles.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user_id: i64,
    /// How the audit log names the actor: the email address, or
    /// `API key <name> (<email>)` for a request made with a key.
    pub label: String,
    pub display_name: String,
    /// The acting role; `None` for a user who holds no role at all.
    pub role: Option<String>,
    pub permissions: Arc<RolePermissions>,
    pub credential: Credential,
}

/// What authenticated the request.
#[derive(Debug, Clone)]
pub enum Credential {
    /// SHA-256 of the session token, so sign-out can end this session only.
    Session(String),
    /// The public id of an API key. Signing out does not revoke it; key
    /// management refuses it (see `api_keys`).
    ApiKey(String),
}

impl SignedIn {
    /// The session's hash, unless an API key authenticated the request.
    pub fn session(&self) -> Option<&str> {
        match &self.credential {
            Credential::Session(hash) => Some(hash),
            Credential::ApiKey(_) => None,
        }
    }
}

impl Actor {
    pub fn anonymous(origin: Origin) -> Actor {
        Actor {
            principal: Principal::Anonymous,
            origin,
        }
    }

    pub fn system(name: &'static str) -> Actor {
        Actor {
            principal: Principal::System(name),
            origin: Origin::default(),
        }
    }

    /// The signed-in user, or `Unauthenticated`.
    pub fn user(&self) -> Result<&SignedIn> {
        match &self.principal {
            Principal::User(user) => Ok(user),
            Principal::Anonymous | Principal::System(_) => Err(Error::Unauthenticated),
        }
    }

    /// The signed-in user, provided the acting role holds `permission`: the
    /// handle a configuration change needs to proceed.
    pub fn require(&self, permission: SystemPermission) -> Result<&SignedIn> {
        let user = self.user()?;
        if user.permissions.allows(permission) {
            Ok(user)
        } else {
            Err(Error::Forbidden(format!(
                "the role {} does not have the {} permission",
                user.role.as_deref().unwrap_or("(none)"),
                permission.as_str()
            )))
        }
    }

    pub fn can(&self, permission: SystemPermission) -> bool {
        self.require(permission).is_ok()
    }
}
