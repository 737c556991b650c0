//! Who is calling.
//!
//! In AWS the HTTP API's JWT authorizer verifies the token and hands its claims to the
//! function in the request context; the function only reads them. Locally there is no
//! API Gateway, so the same handlers verify `Authorization: Bearer` tokens signed with a
//! development key (HS256) themselves. The mode is set per deployment by
//! `STANDING_AUTH_MODE` (`apigateway`, the default, or `dev-key` with
//! `STANDING_DEV_JWT_SECRET`).

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use lambda_http::request::RequestContext;
use lambda_http::{Request, RequestExt};
use standing_domain::auth::{Claims, Principal};
use standing_domain::problem::Problem;

/// Issuer and audience of development tokens.
pub const DEV_ISSUER: &str = "standing-local";
pub const DEV_AUDIENCE: &str = "standing";

#[derive(Clone)]
pub enum Authenticator {
    /// Claims already verified by API Gateway's JWT authorizer.
    ApiGateway,
    /// Tokens verified here with a development HS256 key (local stack and tests only).
    DevKey(Box<DecodingKey>),
}

#[derive(Debug, thiserror::Error)]
pub enum AuthConfigError {
    #[error("STANDING_AUTH_MODE=dev-key needs STANDING_DEV_JWT_SECRET (at least 32 bytes)")]
    MissingSecret,
    #[error("unknown STANDING_AUTH_MODE {0:?} (expected apigateway or dev-key)")]
    UnknownMode(String),
}

impl Authenticator {
    pub fn from_env() -> Result<Self, AuthConfigError> {
        match std::env::var("STANDING_AUTH_MODE").as_deref() {
            Ok("apigateway") | Err(_) => Ok(Authenticator::ApiGateway),
            Ok("dev-key") => {
                let secret = std::env::var("STANDING_DEV_JWT_SECRET")
                    .map_err(|_| AuthConfigError::MissingSecret)?;
                Self::dev_key(secret.as_bytes())
            }
            Ok(other) => Err(AuthConfigError::UnknownMode(other.to_owned())),
        }
    }

    pub fn dev_key(secret: &[u8]) -> Result<Self, AuthConfigError> {
        if secret.len() < 32 {
            return Err(AuthConfigError::MissingSecret);
        }
        Ok(Authenticator::DevKey(Box::new(DecodingKey::from_secret(
            secret,
        ))))
    }

    /// The caller of `req`, who must be staff (of which authority, the handler checks
    /// against the record once it is read).
    pub fn staff(&self, req: &Request) -> Result<Principal, Problem> {
        let caller = self.principal(req)?;
        caller.require_staff()?;
        Ok(caller)
    }

    /// The caller of `req`: `Public` when no credentials came with it, an error when
    /// credentials came but do not hold.
    pub fn principal(&self, req: &Request) -> Result<Principal, Problem> {
        match self {
            Authenticator::ApiGateway => {
                let claims = match req.request_context_ref() {
                    Some(RequestContext::ApiGatewayV2(ctx)) => ctx
                        .authorizer
                        .as_ref()
                        .and_then(|a| a.jwt.as_ref())
                        .map(|jwt| &jwt.claims),
                    _ => None,
                };
                match claims {
                    None => Ok(Principal::Public),
                    Some(map) => Principal::from_claims(&Claims {
                        sub: map.get("sub").cloned().unwrap_or_default(),
                        role: map.get("role").cloned(),
                        org_code: map.get("org_code").cloned(),
                        authority: map.get("authority").cloned(),
                    }),
                }
            }
            Authenticator::DevKey(key) => {
                let Some(header) = req.headers().get(lambda_http::http::header::AUTHORIZATION)
                else {
                    return Ok(Principal::Public);
                };
                let token = header
                    .to_str()
                    .ok()
                    .and_then(|h| {
                        h.strip_prefix("Bearer ")
                            .or_else(|| h.strip_prefix("bearer "))
                    })
                    .ok_or_else(Problem::unauthenticated)?;
                let mut validation = Validation::new(Algorithm::HS256);
                validation.set_issuer(&[DEV_ISSUER]);
                validation.set_audience(&[DEV_AUDIENCE]);
                validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
                let data = jsonwebtoken::decode::<Claims>(token.trim(), key, &validation)
                    .map_err(|_| Problem::unauthenticated())?;
                Principal::from_claims(&data.claims)
            }
        }
    }
}
