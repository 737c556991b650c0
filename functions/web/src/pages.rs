//! The pages and assets, embedded at build time. A page is its `<main>` (pages/*.html)
//! inside one layout (header with navigation, footer with the issuers' contacts); its
//! script is one of assets/*.js, loaded with `defer` after the shared `app.js`.

/// `(file name, content type, text, gzipped text)` of every asset (gzipped by build.rs).
pub const ASSETS: &[(&str, &str, &str, &[u8])] = &[
    (
        "site.css",
        "text/css; charset=utf-8",
        include_str!("../assets/site.css"),
        include_bytes!(concat!(env!("OUT_DIR"), "/site.css.gz")),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_str!("../assets/app.js"),
        include_bytes!(concat!(env!("OUT_DIR"), "/app.js.gz")),
    ),
    (
        "public.js",
        "text/javascript; charset=utf-8",
        include_str!("../assets/public.js"),
        include_bytes!(concat!(env!("OUT_DIR"), "/public.js.gz")),
    ),
    (
        "signin.js",
        "text/javascript; charset=utf-8",
        include_str!("../assets/signin.js"),
        include_bytes!(concat!(env!("OUT_DIR"), "/signin.js.gz")),
    ),
    (
        "portal.js",
        "text/javascript; charset=utf-8",
        include_str!("../assets/portal.js"),
        include_bytes!(concat!(env!("OUT_DIR"), "/portal.js.gz")),
    ),
    (
        "console.js",
        "text/javascript; charset=utf-8",
        include_str!("../assets/console.js"),
        include_bytes!(concat!(env!("OUT_DIR"), "/console.js.gz")),
    ),
];

/// The issuers' names, contacts and filing numbers (data/authorities.json), per
/// authority: shown in the footer and beside each notice.
pub const AUTHORITIES: &str = include_str!("../data/authorities.json");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Home,
    Notices,
    Company,
    Certificate,
    Evaluation,
    Award,
    SignIn,
    Portal,
    Console,
}

impl Page {
    /// (title, main, script)
    fn parts(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Page::Home => ("查询", include_str!("../pages/home.html"), "public.js"),
            Page::Notices => (
                "评定结果公示",
                include_str!("../pages/notices.html"),
                "public.js",
            ),
            Page::Company => (
                "单位信息",
                include_str!("../pages/company.html"),
                "public.js",
            ),
            Page::Certificate => (
                "证书查验",
                include_str!("../pages/certificate.html"),
                "public.js",
            ),
            Page::Evaluation => (
                "用户评价",
                include_str!("../pages/evaluation.html"),
                "public.js",
            ),
            Page::Award => ("评优公示", include_str!("../pages/award.html"), "public.js"),
            Page::SignIn => ("登录", include_str!("../pages/signin.html"), "signin.js"),
            Page::Portal => (
                "申报单位",
                include_str!("../pages/portal.html"),
                "portal.js",
            ),
            Page::Console => (
                "工作台",
                include_str!("../pages/console.html"),
                "console.js",
            ),
        }
    }

    /// The page; `dev` adds the development sign-in form (local stack only: deployed
    /// pages do not carry it at all).
    pub fn render(self, config_json: &str, dev: bool) -> String {
        let (title, main, script) = self.parts();
        let dev_form = if dev && self == Page::SignIn {
            include_str!("../pages/signin-dev.html")
        } else {
            ""
        };
        let authorities = AUTHORITIES.replace('<', "\\u003c");
        format!(
            concat!(
                "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">",
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
                "<title>{title} · 行业评价与信用公示平台</title>",
                "<link rel=\"stylesheet\" href=\"/assets/site.css\">",
                "<script id=\"standing-config\" type=\"application/json\">{config}</script>",
                "<script id=\"standing-authorities\" type=\"application/json\">{authorities}</script>",
                "<script defer src=\"/assets/app.js\"></script>",
                "<script defer src=\"/assets/{script}\"></script></head><body>",
                "<a class=\"skip\" href=\"#main\">跳到正文</a>",
                "<header class=\"site\"><a class=\"brand\" href=\"/\">行业评价与信用公示平台</a>",
                "<nav aria-label=\"主导航\"><a href=\"/\">查询</a><a href=\"/notices\">公示</a>",
                "<a href=\"/portal\">申报</a><a href=\"/console\">工作台</a>",
                "<a href=\"/signin\" id=\"signin-link\">登录</a></nav></header>",
                "<main id=\"main\">{main}{dev_form}</main>",
                "<footer class=\"site\" id=\"issuers\"></footer></body></html>"
            ),
            title = title,
            config = config_json,
            authorities = authorities,
            script = script,
            main = main,
            dev_form = dev_form,
        )
    }
}
