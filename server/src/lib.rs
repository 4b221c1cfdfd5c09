//! The HTTP edge of Ferrobase: configuration, start-up, middleware and the
//! thin handlers that turn requests into `service` calls. A library so the
//! black-box tests can boot the real router in-process.

pub mod api_error;
pub mod cli;
pub mod config;
pub mod edge;
pub mod http_metrics;
pub mod master_key;
pub mod openapi;
pub mod router;
pub mod routes;
pub mod startup;
pub mod state;
pub mod telemetry;
