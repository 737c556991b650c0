//! Errors as RFC 9457 problem details: a stable `type`, an English `title`, a Chinese
//! `detail`, the HTTP status and the field that failed. The domain produces them; the
//! HTTP edge only serialises them.

use serde::Serialize;

/// The stable kinds of problem the platform answers with. The `type` URI of each is
/// part of the public API: clients may switch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    Validation,
    MalformedBody,
    UnsupportedMediaType,
    PayloadTooLarge,
    Unauthenticated,
    Forbidden,
    NotFound,
    Conflict,
    /// The resource existed but is no longer available (an expired one-time link).
    Gone,
    MethodNotAllowed,
    PreconditionFailed,
    TooManyRequests,
    Internal,
    Unavailable,
}

impl ProblemKind {
    pub fn status(self) -> u16 {
        match self {
            ProblemKind::Validation => 422,
            ProblemKind::MalformedBody => 400,
            ProblemKind::UnsupportedMediaType => 415,
            ProblemKind::PayloadTooLarge => 413,
            ProblemKind::Unauthenticated => 401,
            ProblemKind::Forbidden => 403,
            ProblemKind::NotFound => 404,
            ProblemKind::Conflict => 409,
            ProblemKind::Gone => 410,
            ProblemKind::MethodNotAllowed => 405,
            ProblemKind::PreconditionFailed => 412,
            ProblemKind::TooManyRequests => 429,
            ProblemKind::Internal => 500,
            ProblemKind::Unavailable => 503,
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            ProblemKind::Validation => "validation",
            ProblemKind::MalformedBody => "malformed-body",
            ProblemKind::UnsupportedMediaType => "unsupported-media-type",
            ProblemKind::PayloadTooLarge => "payload-too-large",
            ProblemKind::Unauthenticated => "unauthenticated",
            ProblemKind::Forbidden => "forbidden",
            ProblemKind::NotFound => "not-found",
            ProblemKind::Conflict => "conflict",
            ProblemKind::Gone => "gone",
            ProblemKind::MethodNotAllowed => "method-not-allowed",
            ProblemKind::PreconditionFailed => "precondition-failed",
            ProblemKind::TooManyRequests => "too-many-requests",
            ProblemKind::Internal => "internal",
            ProblemKind::Unavailable => "unavailable",
        }
    }

    /// The English title, fixed per kind (RFC 9457 §3.1.3: the title does not change
    /// from occurrence to occurrence).
    pub fn title(self) -> &'static str {
        match self {
            ProblemKind::Validation => "Invalid field",
            ProblemKind::MalformedBody => "Malformed request body",
            ProblemKind::UnsupportedMediaType => "Unsupported media type",
            ProblemKind::PayloadTooLarge => "Request body too large",
            ProblemKind::Unauthenticated => "Authentication required",
            ProblemKind::Forbidden => "Forbidden",
            ProblemKind::NotFound => "Not found",
            ProblemKind::Conflict => "Conflict",
            ProblemKind::Gone => "Gone",
            ProblemKind::MethodNotAllowed => "Method not allowed",
            ProblemKind::PreconditionFailed => "Precondition failed",
            ProblemKind::TooManyRequests => "Too many requests",
            ProblemKind::Internal => "Internal error",
            ProblemKind::Unavailable => "Service unavailable",
        }
    }
}

/// One failing field, named by its JSON path (`contact.phone`, `memberships[1].since`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    /// Chinese explanation for the person filling the form.
    pub detail: String,
}

/// A problem detail (RFC 9457).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub kind: ProblemKind,
    /// Chinese, specific to this occurrence.
    pub detail: String,
    /// The first failing field, if the problem is about one.
    pub field: Option<String>,
    /// Every failing field, when several were found at once.
    pub errors: Vec<FieldError>,
}

impl Problem {
    pub fn new(kind: ProblemKind, detail: impl Into<String>) -> Self {
        Problem {
            kind,
            detail: detail.into(),
            field: None,
            errors: Vec::new(),
        }
    }

    pub fn field(kind: ProblemKind, field: impl Into<String>, detail: impl Into<String>) -> Self {
        let field = field.into();
        let detail = detail.into();
        Problem {
            kind,
            errors: vec![FieldError {
                field: field.clone(),
                detail: detail.clone(),
            }],
            detail,
            field: Some(field),
        }
    }

    /// A validation problem listing every failing field; the first one is `field`.
    pub fn invalid_fields(errors: Vec<FieldError>) -> Self {
        let first = errors.first().cloned();
        Problem {
            kind: ProblemKind::Validation,
            detail: first
                .as_ref()
                .map(|e| e.detail.clone())
                .unwrap_or_else(|| "请求内容不符合要求".to_owned()),
            field: first.map(|e| e.field),
            errors,
        }
    }

    pub fn unauthenticated() -> Self {
        Problem::new(
            ProblemKind::Unauthenticated,
            "需要登录：缺少或无效的身份令牌",
        )
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Problem::new(ProblemKind::Forbidden, detail)
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Problem::new(ProblemKind::NotFound, detail)
    }

    pub fn conflict(detail: impl Into<String>) -> Self {
        Problem::new(ProblemKind::Conflict, detail)
    }

    pub fn internal() -> Self {
        Problem::new(ProblemKind::Internal, "服务内部错误，请稍后重试")
    }

    pub fn status(&self) -> u16 {
        self.kind.status()
    }

    /// The stable `type` URI.
    pub fn type_uri(&self) -> String {
        format!("https://standing.example.cn/problems/{}", self.kind.slug())
    }

    /// The RFC 9457 JSON body.
    pub fn to_json(&self) -> serde_json::Value {
        let mut body = serde_json::json!({
            "type": self.type_uri(),
            "title": self.kind.title(),
            "status": self.status(),
            "detail": self.detail,
        });
        if let Some(field) = &self.field {
            body["field"] = serde_json::Value::String(field.clone());
        }
        if !self.errors.is_empty() {
            body["errors"] = serde_json::to_value(&self.errors).unwrap_or_default();
        }
        body
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}): {}",
            self.kind.title(),
            self.status(),
            self.detail
        )
    }
}

impl std::error::Error for Problem {}
