//! Helpers for the end-to-end tests: API Gateway (HTTP API v2) events built the way API
//! Gateway sends them, development tokens, fresh credit codes, and a store on the local
//! endpoint that `infra/local/test.sh` starts.

use chrono::Utc;
use jsonwebtoken::{EncodingKey, Header};
use lambda_http::{Body, Request, Response};
use serde_json::{Value, json};
use standing_aws::{Clients, Config, DynamoStore};
use standing_domain::ids::CreditCode;

/// The development key the local stack uses (infra/local/env.sh).
pub const DEV_SECRET: &str = "standing-local-development-key-not-for-production";

/// Settings of the local stack, with the same defaults as infra/local/env.sh, so a
/// plain `cargo test` works while the stack runs.
pub fn local_env() {
    let defaults = [
        // moto (S3, Scheduler) and DynamoDB Local, on infra/local/env.sh's default ports.
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:4566"),
        ("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000"),
        ("AWS_REGION", "cn-north-1"),
        ("AWS_ACCESS_KEY_ID", "local"),
        ("AWS_SECRET_ACCESS_KEY", "local"),
        // The tests' own table and buckets (infra/local/test.sh creates them), never the
        // running stack's standing-local*.
        ("TABLE_NAME", "standing-test"),
        ("MATERIALS_BUCKET", "standing-test-materials"),
        ("CERTIFICATES_BUCKET", "standing-test-certificates"),
    ];
    for (k, v) in defaults {
        if std::env::var_os(k).is_none() {
            // SAFETY-free in edition 2024 terms: tests set these once, before any thread
            // reads them, and every test sets the same values.
            unsafe_set_var(k, v);
        }
    }
}

#[allow(unsafe_code)]
fn unsafe_set_var(k: &str, v: &str) {
    // SAFETY: called only with identical values from test setup; concurrent tests may
    // race to write the same value, which is harmless for these keys.
    unsafe { std::env::set_var(k, v) }
}

/// Clients and a store on the local endpoint.
pub async fn local_store() -> (Clients, DynamoStore) {
    local_env();
    let config = Config::from_env().expect("TABLE_NAME is set");
    let clients = Clients::load(config).await;
    let store = DynamoStore::new(clients.dynamodb(), clients.config.table.clone());
    (clients, store)
}

/// A fresh, valid credit code, unique per call.
pub fn fresh_code() -> CreditCode {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let n = ulid::Ulid::generate().random();
    let mut body = String::from("91150100");
    for i in 0..9 {
        body.push(ALPHABET[((n >> (i * 5)) % 31) as usize] as char);
    }
    let check = CreditCode::check_character(body.as_bytes());
    CreditCode::parse(&format!("{body}{check}")).expect("generated code is valid")
}

/// Who a test request is from.
pub enum As<'a> {
    Anonymous,
    Applicant(&'a CreditCode),
    Staff(&'a str),
    Expert,
    /// An expert's account with its own subject (award panels).
    ExpertNamed(&'a str),
    /// A token signed with the wrong key.
    Forged,
    /// A correctly signed token that expired an hour ago.
    Expired,
}

pub fn token(who: &As) -> Option<String> {
    let now = Utc::now().timestamp();
    let mut claims =
        json!({"iss": "standing-local", "aud": "standing", "iat": now, "exp": now + 600});
    let mut secret = DEV_SECRET.to_owned();
    match who {
        As::Anonymous => return None,
        As::Applicant(code) => {
            claims["sub"] = json!("applicant-user");
            claims["role"] = json!("applicant");
            claims["org_code"] = json!(code.as_str());
        }
        As::Staff(authority) => {
            claims["sub"] = json!("staff-user");
            claims["role"] = json!("staff");
            claims["authority"] = json!(authority);
        }
        As::Expert => {
            claims["sub"] = json!("expert-user");
            claims["role"] = json!("expert");
        }
        As::ExpertNamed(subject) => {
            claims["sub"] = json!(subject);
            claims["role"] = json!("expert");
        }
        As::Forged => {
            claims["sub"] = json!("staff-user");
            claims["role"] = json!("staff");
            claims["authority"] = json!("nmg-security-association");
            secret = "an-attacker-key-of-sufficient-length-000".into();
        }
        As::Expired => {
            claims["sub"] = json!("staff-user");
            claims["role"] = json!("staff");
            claims["authority"] = json!("nmg-security-association");
            claims["exp"] = json!(now - 3600);
        }
    }
    Some(
        jsonwebtoken::encode(
            &Header::default(),
            &claims,
            &EncodingKey::from_secret(secret.as_bytes()),
        )
        .expect("token encodes"),
    )
}

/// An API Gateway HTTP API (payload 2.0) event, as JSON, the way API Gateway sends it.
pub fn event_json(
    method: &str,
    path: &str,
    route_key: &str,
    body: Option<&str>,
    content_type: Option<&str>,
    who: &As,
) -> Value {
    let mut headers = json!({"host": "api.standing.example.cn", "user-agent": "e2e-test"});
    if let Some(t) = token(who) {
        headers["authorization"] = json!(format!("Bearer {t}"));
    }
    if let Some(ct) = content_type {
        headers["content-type"] = json!(ct);
    }
    json!({
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": path,
        "rawQueryString": "",
        "headers": headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "local",
            "domainName": "api.standing.example.cn",
            "domainPrefix": "api",
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1", "userAgent": "e2e-test"},
            "requestId": ulid::Ulid::generate().to_string(),
            "routeKey": route_key,
            "stage": "$default",
            "time": "23/Nov/2026:12:00:00 +0000",
            "timeEpoch": 1_795_435_200_000_i64
        },
        "body": body,
        "isBase64Encoded": false
    })
}

/// A GET with a query string (`?k=v&...`, values as given), through lambda_http's parser.
pub fn query_request(path: &str, query: &[(&str, &str)], who: &As) -> Request {
    let mut event = event_json("GET", path, "", None, None, who);
    let raw: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
    event["rawQueryString"] = json!(raw.join("&"));
    event["queryStringParameters"] = query
        .iter()
        .map(|(k, v)| ((*k).to_owned(), json!(v)))
        .collect::<serde_json::Map<_, _>>()
        .into();
    lambda_http::request::from_str(&event.to_string()).expect("a valid API Gateway v2 event")
}

/// The same event as a `lambda_http::Request`, through lambda_http's own parser.
pub fn request(method: &str, path: &str, route_key: &str, body: Option<&str>, who: &As) -> Request {
    let ct = body.map(|_| "application/json");
    request_with_type(method, path, route_key, body, ct, who)
}

pub fn request_with_type(
    method: &str,
    path: &str,
    route_key: &str,
    body: Option<&str>,
    content_type: Option<&str>,
    who: &As,
) -> Request {
    let event = event_json(method, path, route_key, body, content_type, who);
    lambda_http::request::from_str(&event.to_string()).expect("a valid API Gateway v2 event")
}

pub fn status(r: &Response<Body>) -> u16 {
    r.status().as_u16()
}

pub fn body_json(r: &Response<Body>) -> Value {
    let bytes: &[u8] = r.body().as_ref();
    serde_json::from_slice(bytes).unwrap_or(Value::Null)
}

pub fn content_type(r: &Response<Body>) -> String {
    r.headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

/// A dispatcher that records the asynchronous work asked for, so a test runs it when it
/// chooses (the way Lambda's event queue and EventBridge Scheduler would, later).
#[derive(Debug, Default)]
pub struct Recorded {
    pub jobs: std::sync::Mutex<Vec<standing_domain::dispatch::Job>>,
    pub schedules: std::sync::Mutex<Vec<(String, chrono::DateTime<Utc>)>>,
}

impl Recorded {
    /// Take the jobs recorded so far.
    pub fn take(&self) -> Vec<standing_domain::dispatch::Job> {
        std::mem::take(&mut *self.jobs.lock().unwrap())
    }
}

impl standing_domain::dispatch::Dispatch for Recorded {
    async fn review(
        &self,
        application: &standing_domain::ids::RecordId,
    ) -> Result<(), standing_domain::store::StoreError> {
        self.jobs
            .lock()
            .unwrap()
            .push(standing_domain::dispatch::Job::Review {
                application_id: application.to_string(),
            });
        Ok(())
    }

    async fn render(
        &self,
        serial: &str,
        version: u64,
    ) -> Result<(), standing_domain::store::StoreError> {
        self.jobs
            .lock()
            .unwrap()
            .push(standing_domain::dispatch::Job::Render {
                serial: serial.to_owned(),
                version,
            });
        Ok(())
    }

    async fn schedule_close(
        &self,
        notice: &standing_domain::ids::RecordId,
        at: chrono::DateTime<Utc>,
    ) -> Result<(), standing_domain::store::StoreError> {
        self.schedules
            .lock()
            .unwrap()
            .push((notice.to_string(), at));
        Ok(())
    }
}

/// The whole platform wired to the local endpoint with one clock and one recording
/// dispatcher, so a test drives every function and decides when asynchronous work runs.
pub struct Platform {
    pub intake: standing_intake::App<std::sync::Arc<Recorded>>,
    pub review: standing_review::App<std::sync::Arc<Recorded>>,
    pub publication: standing_publication::App<std::sync::Arc<Recorded>>,
    pub credit: standing_credit::App,
    pub dispatch: std::sync::Arc<Recorded>,
    pub clock: std::sync::Arc<standing_domain::clock::FixedClock>,
    pub clients: Clients,
}

impl Platform {
    pub async fn at(now: chrono::DateTime<Utc>) -> Platform {
        let (clients, store) = local_store().await;
        let clock = std::sync::Arc::new(standing_domain::clock::FixedClock::at(now));
        let dispatch = std::sync::Arc::new(Recorded::default());
        let auth = || standing_http::Authenticator::dev_key(DEV_SECRET.as_bytes()).unwrap();
        Platform {
            intake: standing_intake::App {
                store: store.clone(),
                objects: clients.objects(),
                materials_bucket: clients.config.materials_bucket.clone(),
                auth: auth(),
                dispatch: dispatch.clone(),
                clock: clock.clone(),
            },
            review: standing_review::App {
                store: store.clone(),
                materials: clients.materials(),
                dispatch: dispatch.clone(),
                clock: clock.clone(),
            },
            publication: standing_publication::App {
                store: store.clone(),
                auth: auth(),
                dispatch: dispatch.clone(),
                clock: clock.clone(),
            },
            credit: standing_credit::App {
                store,
                auth: auth(),
                clock: clock.clone(),
            },
            dispatch,
            clock,
            clients,
        }
    }

    pub fn store(&self) -> &DynamoStore {
        &self.intake.store
    }
}

/// What a handler answered: status and JSON body (`Null` when the body is not JSON).
pub type Answer = (u16, Value);

fn json_request(method: &str, path: &str, body: Option<Value>, who: &As<'_>) -> Request {
    let body = body.map(|b| b.to_string());
    request(method, path, "", body.as_deref(), who)
}

/// Await a handler's answer. Boxed: a handler's future is large in debug builds, and test
/// futures that await many calls would otherwise carry each one inline on the test's
/// stack.
async fn answered(handler: impl std::future::Future<Output = Response<Body>>) -> Answer {
    let r = Box::pin(handler).await;
    (status(&r), body_json(&r))
}

impl Platform {
    /// Call the intake function with a JSON body, as API Gateway would.
    pub async fn call_intake(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        who: &As<'_>,
    ) -> Answer {
        let req = json_request(method, path, body, who);
        answered(standing_intake::handle(&self.intake, req)).await
    }

    /// Call the credit function with a JSON body, as API Gateway would.
    pub async fn call_credit(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        who: &As<'_>,
    ) -> Answer {
        let req = json_request(method, path, body, who);
        answered(standing_credit::handle(&self.credit, req)).await
    }

    /// Call the publication function with a JSON body, as API Gateway would.
    pub async fn call_publication(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        who: &As<'_>,
    ) -> Answer {
        let req = json_request(method, path, body, who);
        answered(standing_publication::handle(&self.publication, req)).await
    }

    /// Register a fresh company through its own account.
    pub async fn register_company(&self, name: &str) -> CreditCode {
        let code = fresh_code();
        let (s, b) = self
            .call_intake(
                "POST",
                "/v1/organizations",
                Some(registration(&code, name)),
                &As::Applicant(&code),
            )
            .await;
        assert_eq!(s, 201, "{b}");
        code
    }

    /// Register a fresh company and have `association`'s staff record its membership
    /// since 2019-01-01.
    pub async fn register_member(&self, association: &str) -> CreditCode {
        let code = self.register_company("内蒙古安全防范技术有限公司").await;
        let (s, b) = self
            .call_intake(
                "POST",
                &format!("/v1/organizations/{code}/memberships"),
                Some(json!({"since": "2019-01-01"})),
                &As::Staff(association),
            )
            .await;
        assert_eq!(s, 201, "{b}");
        code
    }

    /// Announce a material for `evidence_for` and upload it through its presigned URL,
    /// as a browser would. Returns the material id.
    pub async fn upload(&self, who: &As<'_>, app: &str, evidence_for: &str) -> String {
        let pdf = format!("%PDF-1.4 evidence for {evidence_for}").into_bytes();
        let (s, b) = self
            .call_intake(
                "POST",
                &format!("/v1/applications/{app}/materials"),
                Some(
                    json!({"evidence_for": evidence_for, "file_name": "证明材料.pdf",
                            "content_type": "application/pdf", "size_bytes": pdf.len()}),
                ),
                who,
            )
            .await;
        assert_eq!(s, 201, "{b}");
        let url = b["upload"]["url"].as_str().unwrap().to_owned();
        let put = tokio::task::spawn_blocking(move || {
            ureq::put(&url)
                .header("content-type", "application/pdf")
                .send(&pdf[..])
                .map(|r| r.status().as_u16())
        })
        .await
        .unwrap()
        .expect("the presigned PUT goes through");
        assert_eq!(put, 200);
        b["material"]["id"].as_str().unwrap().to_owned()
    }

    /// Staff of `authority` confirm every check the review left to a person on `app`
    /// (`met`, with `note`), and the review runs again. Returns the rule ids confirmed,
    /// sorted (none when the application was not waiting on a staff check).
    pub async fn confirm_pending_checks(
        &self,
        app: &str,
        authority: &str,
        note: &str,
    ) -> Vec<String> {
        let (s, a) = self
            .call_intake(
                "GET",
                &format!("/v1/applications/{app}"),
                None,
                &As::Staff(authority),
            )
            .await;
        assert_eq!(s, 200, "{a}");
        if a["status"] != "staff_check" {
            return Vec::new();
        }
        let mut pending: Vec<String> = a["pending_checks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        pending.sort_unstable();
        let checks: Vec<Value> = pending
            .iter()
            .map(|r| json!({"rule_id": r, "met": true, "note": note}))
            .collect();
        let (s, b) = self
            .call_intake(
                "POST",
                &format!("/v1/applications/{app}/checks"),
                Some(json!({"checks": checks})),
                &As::Staff(authority),
            )
            .await;
        assert_eq!(s, 202, "{b}");
        self.run_reviews().await;
        pending
    }

    /// Submit an application with an idempotency key.
    pub async fn submit(&self, who: &As<'_>, app: &str, key: &str) -> Answer {
        let path = format!("/v1/applications/{app}/submit");
        let mut event = event_json("POST", &path, "", None, None, who);
        event["headers"]["idempotency-key"] = json!(key);
        let req = lambda_http::request::from_str(&event.to_string()).unwrap();
        let r = Box::pin(standing_intake::handle(&self.intake, req)).await;
        (status(&r), body_json(&r))
    }

    /// Run the review jobs the platform asked for, as the review function would.
    pub async fn run_reviews(&self) -> usize {
        let mut ran = 0;
        for job in self.dispatch.take() {
            if let standing_domain::dispatch::Job::Review { .. } = job {
                Box::pin(standing_review::run(&self.review, job))
                    .await
                    .expect("the review runs");
                ran += 1;
            }
        }
        ran
    }

    /// Every item of a partition, as canonical JSON text (for "nothing was written").
    pub async fn partition(&self, pk: String) -> Vec<String> {
        let out = self
            .clients
            .dynamodb()
            .query()
            .table_name(&self.clients.config.table)
            .key_condition_expression("PK = :pk")
            .expression_attribute_values(":pk", aws_sdk_dynamodb::types::AttributeValue::S(pk))
            .consistent_read(true)
            .send()
            .await
            .expect("the local endpoint answers");
        out.items
            .unwrap_or_default()
            .into_iter()
            .map(|i| {
                serde_dynamo::from_item::<_, Value>(i)
                    .expect("an item reads as JSON")
                    .to_string()
            })
            .collect()
    }
}

/// A registration body for `code`.
pub fn registration(code: &CreditCode, name: &str) -> Value {
    json!({
        "code": code.as_str(), "name": name, "address": "呼和浩特市新城区新华大街1号",
        "legal_representative": {"name": "张三"}, "contact": {"name": "李四", "phone": "0471-1234567"},
        "established_on": "2012-03-02"
    })
}

/// The OpenAPI document (docs/openapi.json), read once.
pub fn openapi_document() -> &'static Value {
    static DOC: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    DOC.get_or_init(|| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/openapi.json");
        serde_json::from_str(&std::fs::read_to_string(path).expect("docs/openapi.json"))
            .expect("docs/openapi.json is JSON")
    })
}

/// Assert that an answer of `method route` is documented: its status, and the required
/// fields of the documented body (problem+json for 4xx and 5xx).
pub fn assert_documented(route: &str, method: &str, (status, body): &Answer) {
    let doc = openapi_document();
    let op = &doc["paths"][route][method.to_lowercase()];
    let documented = &op["responses"][status.to_string()];
    assert!(
        documented.is_object(),
        "{method} {route} answered {status}, which is not documented"
    );
    let media = if *status >= 400 {
        "application/problem+json"
    } else {
        "application/json"
    };
    let mut schema = &documented["content"][media]["schema"];
    assert!(
        schema.is_object(),
        "{method} {route} {status}: {media} not documented"
    );
    if let Some(r) = schema["$ref"].as_str() {
        schema = doc
            .pointer(r.trim_start_matches('#'))
            .expect("a $ref resolves");
    }
    for field in schema["required"].as_array().into_iter().flatten() {
        let f = field.as_str().unwrap_or_default();
        assert!(
            body.get(f).is_some(),
            "{method} {route} {status}: required field {f} missing in {body}"
        );
    }
}

/// The star rating's authority (seed 003), as its scheme data names it.
pub const STAR_RATING_AUTHORITY: &str = "bj-security-association";

/// The facts of seed 003 3.2 and 5.1 that need evidence (a one-star declaration).
pub const ONE_STAR_EVIDENCED_FACTS: &[&str] = &[
    "independent_legal_person",
    "fixed_premises",
    "pays_social_insurance",
    "security_business_scope",
    "has_training_system",
    "has_service_hotline",
    "has_quality_supervision_post",
    "has_om_workflow",
];

/// 10:00 China time on a day (02:00 UTC): the star-rating tests' clock.
pub fn star_day(y: i32, m: u32, d: u32) -> chrono::DateTime<Utc> {
    use chrono::TimeZone;
    Utc.with_ymd_and_hms(y, m, d, 2, 0, 0).unwrap()
}
