//! `auth`, `users`, `roles`, `apiKeys` and `auditLogs`.

use model::identity::{
    ApiKeyView, AuditEntry, IssuedApiKey, NewApiKey, NewRole, NewUser, ProfileChanges, RoleChanges,
    RolePermissions, RoleView, RotateApiKey, SystemPermission, UserChanges, UserView,
};
use serde_json::{Value, json};

use super::{
    Access, GET, ID_KEY, NAME_KEY, Operation, PAGE, PAGE_SIZE, POST, Param, REMOVE, Reply,
    Resource, Scalar, WRITE,
};
use crate::openapi::schema::{Components, list_of, of};
use crate::routes::api::auth::{ChangePassword, SignIn};
use crate::routes::api::users::ResetPassword;

const USERS_PERMISSION: Access = Access::Permission(SystemPermission::Users);

pub const AUTH: Resource = Resource {
    path: "auth",
    description: "Sessions: sign in for a token (`fbs_…`, usable as a bearer token) or the cookie.",
    operations: &[
        Operation {
            action: "signIn",
            verbs: POST,
            summary: "Sign in with an email address or username and a password",
            access: Access::Anyone,
            query: &[],
            body: Some(of::<SignIn>),
            reply: Reply::Data(signed_in),
        },
        Operation {
            action: "signOut",
            verbs: POST,
            summary: "End this session",
            access: Access::SignedIn,
            query: &[],
            body: None,
            reply: Reply::Null,
        },
        Operation {
            action: "signOutEverywhere",
            verbs: POST,
            summary: "End every session of the signed-in user",
            access: Access::SignedIn,
            query: &[],
            body: None,
            reply: Reply::Data(sessions_ended),
        },
        Operation {
            action: "check",
            verbs: GET,
            summary: "The signed-in user",
            access: Access::SignedIn,
            query: &[],
            body: None,
            reply: Reply::Data(of::<UserView>),
        },
        Operation {
            action: "changePassword",
            verbs: POST,
            summary: "Change the signed-in user's password",
            access: Access::SignedIn,
            query: &[],
            body: Some(of::<ChangePassword>),
            reply: Reply::Null,
        },
    ],
};

pub const USERS: Resource = Resource {
    path: "users",
    description: "User accounts.",
    operations: &[
        Operation {
            action: "list",
            verbs: GET,
            summary: "List users",
            access: USERS_PERMISSION,
            query: &[
                PAGE,
                PAGE_SIZE,
                Param {
                    name: "search",
                    kind: Scalar::Text,
                    required: false,
                    description: "Only users whose email, username or name contains this text.",
                },
            ],
            body: None,
            reply: Reply::Page(of::<UserView>),
        },
        Operation {
            action: "get",
            verbs: GET,
            summary: "One user",
            access: USERS_PERMISSION,
            query: &[ID_KEY],
            body: None,
            reply: Reply::Data(of::<UserView>),
        },
        Operation {
            action: "create",
            verbs: POST,
            summary: "Create a user",
            access: USERS_PERMISSION,
            query: &[],
            body: Some(of::<NewUser>),
            reply: Reply::Data(of::<UserView>),
        },
        Operation {
            action: "update",
            verbs: WRITE,
            summary: "Change a user; absent keys stay as they are",
            access: USERS_PERMISSION,
            query: &[ID_KEY],
            body: Some(of::<UserChanges>),
            reply: Reply::Data(of::<UserView>),
        },
        Operation {
            action: "destroy",
            verbs: REMOVE,
            summary: "Delete a user",
            access: USERS_PERMISSION,
            query: &[ID_KEY],
            body: None,
            reply: Reply::Null,
        },
        Operation {
            action: "resetPassword",
            verbs: POST,
            summary: "Set a user's password",
            access: USERS_PERMISSION,
            query: &[ID_KEY],
            body: Some(of::<ResetPassword>),
            reply: Reply::Null,
        },
        Operation {
            action: "updateProfile",
            verbs: WRITE,
            summary: "Change the signed-in user's own name or language",
            access: Access::SignedIn,
            query: &[],
            body: Some(of::<ProfileChanges>),
            reply: Reply::Data(of::<UserView>),
        },
    ],
};

pub const ROLES: Resource = Resource {
    path: "roles",
    description: "Roles and what they may do: system areas and per-collection grants.",
    operations: &[
        Operation {
            action: "check",
            verbs: GET,
            summary: "The acting role and its effective permissions",
            access: Access::SignedIn,
            query: &[],
            body: None,
            reply: Reply::Data(role_check),
        },
        Operation {
            action: "list",
            verbs: GET,
            summary: "List roles",
            access: USERS_PERMISSION,
            query: &[],
            body: None,
            reply: Reply::Data(list_of::<RoleView>),
        },
        Operation {
            action: "get",
            verbs: GET,
            summary: "One role",
            access: USERS_PERMISSION,
            query: &[NAME_KEY],
            body: None,
            reply: Reply::Data(of::<RoleView>),
        },
        Operation {
            action: "create",
            verbs: POST,
            summary: "Create a role",
            access: USERS_PERMISSION,
            query: &[],
            body: Some(of::<NewRole>),
            reply: Reply::Data(of::<RoleView>),
        },
        Operation {
            action: "update",
            verbs: WRITE,
            summary: "Change a role; absent keys stay as they are",
            access: USERS_PERMISSION,
            query: &[NAME_KEY],
            body: Some(of::<RoleChanges>),
            reply: Reply::Data(of::<RoleView>),
        },
        Operation {
            action: "destroy",
            verbs: REMOVE,
            summary: "Delete a role",
            access: USERS_PERMISSION,
            query: &[NAME_KEY],
            body: None,
            reply: Reply::Null,
        },
    ],
};

/// Keys are named by their public id, the `<id>` of `fbk_<id>_<secret>`.
const API_KEY_ID: Param = Param {
    name: "filterByTk",
    kind: Scalar::Text,
    required: true,
    description: "The key's public id.",
};

pub const API_KEYS: Resource = Resource {
    path: "apiKeys",
    description: "API keys: `Authorization: Bearer fbk_…` acts as the key's role. \
        Users see and revoke their own keys; holders of the `apiKeys` permission everyone's.",
    operations: &[
        Operation {
            action: "list",
            verbs: GET,
            summary: "List API keys (never their secrets)",
            access: Access::SignedIn,
            query: &[PAGE, PAGE_SIZE],
            body: None,
            reply: Reply::Page(of::<ApiKeyView>),
        },
        Operation {
            action: "get",
            verbs: GET,
            summary: "One API key",
            access: Access::SignedIn,
            query: &[API_KEY_ID],
            body: None,
            reply: Reply::Data(of::<ApiKeyView>),
        },
        Operation {
            action: "create",
            verbs: POST,
            summary: "Create a key; the answer holds the token, shown this once",
            access: Access::SignedIn,
            query: &[],
            body: Some(of::<NewApiKey>),
            reply: Reply::Data(of::<IssuedApiKey>),
        },
        Operation {
            action: "destroy",
            verbs: REMOVE,
            summary: "Revoke a key, on every server at once",
            access: Access::SignedIn,
            query: &[API_KEY_ID],
            body: None,
            reply: Reply::Null,
        },
        Operation {
            action: "rotate",
            verbs: POST,
            summary: "A new secret for a key; the old one may keep working for a grace period",
            access: Access::SignedIn,
            query: &[API_KEY_ID],
            body: Some(of::<RotateApiKey>),
            reply: Reply::Data(of::<IssuedApiKey>),
        },
    ],
};

/// The filters `auditLogs:list` and `auditLogs:export` share.
const AUDIT_FILTERS: &[Param] = &[
    PAGE,
    PAGE_SIZE,
    Param {
        name: "actor",
        kind: Scalar::Text,
        required: false,
        description: "Only entries of this actor (email address).",
    },
    Param {
        name: "action",
        kind: Scalar::Text,
        required: false,
        description: "Only entries of this action.",
    },
    Param {
        name: "resource",
        kind: Scalar::Text,
        required: false,
        description: "Only entries about this resource.",
    },
    Param {
        name: "from",
        kind: Scalar::Text,
        required: false,
        description: "From this day (`YYYY-MM-DD`, UTC) or instant (Unix milliseconds).",
    },
    Param {
        name: "to",
        kind: Scalar::Text,
        required: false,
        description: "Up to and including this day (`YYYY-MM-DD`, UTC) or instant (Unix milliseconds).",
    },
];

pub const AUDIT_LOGS: Resource = Resource {
    path: "auditLogs",
    description: "The append-only record of who changed what.",
    operations: &[
        Operation {
            action: "list",
            verbs: GET,
            summary: "List audit entries, newest first",
            access: Access::Permission(SystemPermission::AuditLog),
            query: AUDIT_FILTERS,
            body: None,
            reply: Reply::Page(of::<AuditEntry>),
        },
        Operation {
            action: "export",
            verbs: GET,
            summary: "The filtered audit entries as CSV",
            access: Access::Permission(SystemPermission::AuditLog),
            query: AUDIT_FILTERS,
            body: None,
            reply: Reply::Csv,
        },
    ],
};

fn signed_in(components: &mut Components) -> Value {
    json!({
        "type": "object",
        "required": ["token", "user"],
        "properties": {
            "token": {
                "type": "string",
                "description": "The session token (`fbs_…`): send it as `Authorization: Bearer <token>`."
            },
            "user": of::<UserView>(components),
        }
    })
}

fn sessions_ended(_: &mut Components) -> Value {
    json!({
        "type": "object",
        "required": ["sessionsEnded"],
        "properties": {"sessionsEnded": {"type": "integer", "minimum": 0}}
    })
}

fn role_check(components: &mut Components) -> Value {
    json!({
        "type": "object",
        "required": ["role", "roles", "permissions"],
        "properties": {
            "role": {"type": "string", "description": "The acting role."},
            "roles": {"type": "array", "items": {"type": "string"}},
            "permissions": of::<RolePermissions>(components),
        }
    })
}
