//! The web function: Standing in the browser (docs/web.md).
//!
//! Server-rendered Chinese pages with a little vanilla script, every asset embedded in
//! the binary (`include_str!`): no AWS client, no database, no third-party CDN. The
//! pages call the `/v1` JSON API from the browser with the caller's bearer token, so
//! every authorization stays where it is today (the API's one helper).
//!
//! Routes (all public: they carry no data of their own):
//! - `GET /` — search by company name, credit code or certificate serial.
//! - `GET /notices` — public notices (mobile first) with the objection form.
//! - `GET /companies/{code}` — a company's certificates, grades, stars, credit level.
//! - `GET /certificates/{serial}` — verification of a certificate, with a print view.
//! - `GET /awards/{panel}` — an award panel's proposed winners on notice, with the
//!   objection form, then the winners with their certificates (seed 001 五（三）、六).
//! - `GET /evaluate/{token}` — a client unit's evaluation form (seed 003 附录A), opened
//!   through the one-time link the applicant sent it; no account.
//! - `GET /signin` — sign-in: OpenID Connect (authorization code with PKCE) when
//!   deployed; the development sign-in form only when `STANDING_AUTH_MODE=dev-key`.
//! - `GET /portal` — the applicant portal; `GET /console` — the staff console.
//! - `GET /assets/{file}` — the style sheet and scripts.
//! - `POST /dev/token` — development tokens (local stack only: 404 unless
//!   `STANDING_AUTH_MODE=dev-key`).

pub mod pages;

use jsonwebtoken::{EncodingKey, Header};
use lambda_http::http::{HeaderValue, Method, header};
use lambda_http::{Body, Request, Response};
use standing_domain::ids::CreditCode;
use standing_domain::problem::{Problem, ProblemKind};
use standing_http::respond::{no_route, wrong_method};
use standing_http::{html, json, json_body, problem};

pub use pages::{ASSETS, Page};

/// How people sign in, read once at start from the environment (no I/O).
#[derive(Clone)]
pub enum SignIn {
    /// Local stack: the development form mints tokens signed with this key.
    DevKey(Vec<u8>),
    /// Deployed: OpenID Connect, authorization code with PKCE, in the page script.
    Oidc(Oidc),
}

/// The identity provider the API's JWT authorizer trusts (template parameters).
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Oidc {
    pub issuer: String,
    pub client_id: String,
    /// Empty: the page reads it from the issuer's discovery document.
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub scope: String,
}

pub struct App {
    pub sign_in: SignIn,
}

#[derive(Debug)]
pub struct ConfigError(pub &'static str);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for ConfigError {}

impl App {
    pub fn from_env() -> Result<Self, ConfigError> {
        let var = |k: &str| std::env::var(k).unwrap_or_default();
        let sign_in = match var("STANDING_AUTH_MODE").as_str() {
            "dev-key" => {
                let secret = var("STANDING_DEV_JWT_SECRET");
                if secret.len() < 32 {
                    return Err(ConfigError(
                        "STANDING_AUTH_MODE=dev-key needs STANDING_DEV_JWT_SECRET (at least 32 bytes)",
                    ));
                }
                SignIn::DevKey(secret.into_bytes())
            }
            "" | "apigateway" => SignIn::Oidc(Oidc {
                issuer: var("OIDC_ISSUER"),
                client_id: var("OIDC_CLIENT_ID"),
                authorization_endpoint: var("OIDC_AUTHORIZATION_ENDPOINT"),
                token_endpoint: var("OIDC_TOKEN_ENDPOINT"),
                scope: std::env::var("OIDC_SCOPE").unwrap_or_else(|_| "openid".into()),
            }),
            _ => return Err(ConfigError("unknown STANDING_AUTH_MODE")),
        };
        Ok(App { sign_in })
    }

    /// What the page scripts need to know, inlined into every page as JSON data.
    fn config_json(&self) -> String {
        let value = match &self.sign_in {
            SignIn::DevKey(_) => serde_json::json!({"auth": "dev-key"}),
            SignIn::Oidc(o) => serde_json::json!({"auth": "oidc", "oidc": o}),
        };
        // `<` escaped: the JSON sits in a <script> element.
        value.to_string().replace('<', "\\u003c")
    }
}

/// The Lambda entry point (`main.rs`).
pub async fn lambda_main() -> Result<(), lambda_http::Error> {
    standing_http::serve_app("web", async { App::from_env() }, handle).await
}

pub async fn handle(app: &App, req: Request) -> Response<Body> {
    let path = req.uri().path();
    let path = if path == "/" {
        "/"
    } else {
        path.trim_end_matches('/')
    };
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let get = req.method() == Method::GET || req.method() == Method::HEAD;
    let page = match segments.as_slice() {
        [""] if get => Page::Home,
        ["notices"] if get => Page::Notices,
        ["companies", _] if get => Page::Company,
        ["certificates", _] if get => Page::Certificate,
        ["evaluate", _] if get => Page::Evaluation,
        ["awards", _] if get => Page::Award,
        ["signin"] if get => Page::SignIn,
        ["portal"] if get => Page::Portal,
        ["console"] if get => Page::Console,
        ["assets", name] if get => return asset(name, &req),
        ["dev", "token"] if req.method() == Method::POST => {
            return dev_token(app, &req).unwrap_or_else(|p| problem(&p));
        }
        ["dev", "token"] => return wrong_method("POST"),
        [""]
        | ["notices"]
        | ["companies", _]
        | ["certificates", _]
        | ["evaluate", _]
        | ["awards", _]
        | ["signin"]
        | ["portal"]
        | ["console"]
        | ["assets", _] => return wrong_method("GET"),
        _ => return no_route(),
    };
    let dev = matches!(app.sign_in, SignIn::DevKey(_));
    let mut r = html(200, page.render(&app.config_json(), dev));
    secure(&mut r);
    r
}

/// Same-origin scripts and styles only; frames and connections may go to the storage's
/// presigned URLs and the identity provider.
fn secure(r: &mut Response<Body>) {
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: https: http:; \
             connect-src 'self' https: http:; frame-src 'self' https: http: blob:; object-src 'none'; \
             base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
}

/// An asset; gzipped (made at build time) when the browser accepts it: the portal's
/// script is 52 KB as text and about a quarter of that gzipped (docs/bench/web.md).
fn asset(name: &str, req: &Request) -> Response<Body> {
    let Some((_, content_type, text, gzipped)) = ASSETS.iter().find(|(n, ..)| *n == name) else {
        return no_route();
    };
    let gzip = req
        .headers()
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            // "gzip", "gzip;q=0.8" or "*"; a weight of 0 refuses it (RFC 9110 12.5.3).
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let weight = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            (name.eq_ignore_ascii_case("gzip") || name == "*") && weight > 0.0
        });
    let builder = Response::builder()
        .status(200)
        .header(header::CONTENT_TYPE, *content_type)
        .header(header::CACHE_CONTROL, "public, max-age=300")
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .header(header::VARY, "Accept-Encoding");
    let answer = if gzip {
        builder
            .header(header::CONTENT_ENCODING, "gzip")
            .body(Body::Binary(gzipped.to_vec()))
    } else {
        builder.body(Body::Text((*text).to_owned()))
    };
    answer.unwrap_or_else(|_| problem(&Problem::internal()))
}

/// An authority id or an expert's subject in a development token: 1-64 ASCII letters,
/// digits and hyphens, else a 422 naming `field`.
fn identifier<'a>(value: &'a str, field: &str, message: &str) -> Result<&'a str, Problem> {
    let ok = !value.is_empty()
        && value.len() <= 64
        && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if ok {
        Ok(value)
    } else {
        Err(Problem::field(ProblemKind::Validation, field, message))
    }
}

/// Development tokens, like `infra/local/mint_token.py`: only with
/// `STANDING_AUTH_MODE=dev-key` (the local stack), 404 everywhere else.
fn dev_token(app: &App, req: &Request) -> Result<Response<Body>, Problem> {
    let SignIn::DevKey(secret) = &app.sign_in else {
        return Err(Problem::not_found("没有这个接口"));
    };
    let body = json_body(req, 4 * 1024)?;
    let text = |k: &str| body.get(k).and_then(|v| v.as_str()).map(str::trim);
    let role = text("role").unwrap_or_default();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let mut claims = serde_json::json!({
        "role": role,
        "iss": standing_http::auth::DEV_ISSUER,
        "aud": standing_http::auth::DEV_AUDIENCE,
        "iat": now,
        "exp": now + 8 * 3600,
    });
    match role {
        "applicant" => {
            let code = CreditCode::parse_legacy(text("org_code").unwrap_or_default())
                .map_err(|e| Problem::field(ProblemKind::Validation, "org_code", e.to_string()))?;
            claims["org_code"] = code.as_str().into();
            claims["sub"] = format!("dev-applicant-{code}").into();
        }
        "staff" => {
            let authority = identifier(
                text("authority").unwrap_or_default(),
                "authority",
                "请填写机构标识（字母、数字和连字符）",
            )?;
            claims["authority"] = authority.into();
            claims["sub"] = format!("dev-staff-{authority}").into();
        }
        // An expert is a subject the association records (PUT /v1/experts/{subject}).
        "expert" => {
            let subject = identifier(
                text("subject")
                    .filter(|s| !s.is_empty())
                    .unwrap_or("dev-expert"),
                "subject",
                "专家账号应为字母、数字和连字符，至多 64 个字符",
            )?;
            claims["sub"] = subject.into();
        }
        _ => {
            return Err(Problem::field(
                ProblemKind::Validation,
                "role",
                "身份须为 applicant、staff 或 expert",
            ));
        }
    }
    let token = jsonwebtoken::encode(
        &Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(secret),
    )
    .map_err(|_| Problem::internal())?;
    Ok(json(
        201,
        &serde_json::json!({"token": token, "claims": claims}),
    ))
}
