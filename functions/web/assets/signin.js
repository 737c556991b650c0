// Sign-in. Deployed: OpenID Connect, authorization code with PKCE (RFC 7636), the
// token kept in sessionStorage. Local stack only: the development form (POST /dev/token).
"use strict";
(function () {
  const S = window.Standing, h = S.h;
  const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const random = (n) => b64url(crypto.getRandomValues(new Uint8Array(n)));
  const msg = () => S.$("#signin-message");
  const redirectUri = () => location.origin + "/signin";
  function next(role) {
    const n = sessionStorage.getItem("standing.next") || S.param("next");
    sessionStorage.removeItem("standing.next");
    if (n && n.startsWith("/") && !n.startsWith("//")) return n;
    return role === "staff" || role === "expert" ? "/console" : "/portal";
  }

  async function endpoints(o) {
    if (o.authorization_endpoint && o.token_endpoint) return o;
    const r = await fetch(o.issuer.replace(/\/$/, "") + "/.well-known/openid-configuration");
    const d = await r.json();
    return Object.assign({}, o, { authorization_endpoint: d.authorization_endpoint, token_endpoint: d.token_endpoint });
  }

  async function oidcStart(o) {
    const e = await endpoints(o);
    const verifier = random(48), state = random(16);
    const challenge = b64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
    sessionStorage.setItem("standing.pkce", JSON.stringify({ verifier, state }));
    if (S.param("next")) sessionStorage.setItem("standing.next", S.param("next"));
    const u = new URL(e.authorization_endpoint);
    u.search = new URLSearchParams({ response_type: "code", client_id: o.client_id, redirect_uri: redirectUri(),
      scope: o.scope || "openid", state, code_challenge: challenge, code_challenge_method: "S256" }).toString();
    location.assign(u.toString());
  }

  async function oidcFinish(o, code, state) {
    const saved = JSON.parse(sessionStorage.getItem("standing.pkce") || "{}");
    sessionStorage.removeItem("standing.pkce");
    history.replaceState(null, "", "/signin");
    if (!saved.state || saved.state !== state) { msg().append(h("div", { class: "alert", role: "alert" }, "登录未完成：状态校验失败，请重新登录。")); return; }
    const e = await endpoints(o);
    const r = await fetch(e.token_endpoint, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: redirectUri(), client_id: o.client_id, code_verifier: saved.verifier }) });
    const d = await r.json().catch(() => ({}));
    // The API's authorizer checks the audience: the ID token's is the client id.
    const token = d.id_token || d.access_token;
    if (!r.ok || !token) { msg().append(h("div", { class: "alert", role: "alert" }, "登录未完成：身份认证服务未签发令牌。")); return; }
    S.setToken(token);
    location.replace(next((S.claims() || {}).role));
  }

  function dev() {
    S.$("#dev").hidden = false;
    const form = S.$("#dev-form"), sel = S.$("#authority");
    for (const [id, a] of Object.entries((S.authorities && S.authorities.authorities) || {})) sel.append(h("option", { value: id }, a.name + "（" + id + "）"));
    const sync = () => {
      const role = form.role.value;
      S.$("#dev-org").hidden = role !== "applicant"; S.$("#dev-authority").hidden = role !== "staff"; S.$("#dev-expert").hidden = role !== "expert";
    };
    if (S.param("role") === "staff" || S.param("role") === "expert") form.role.value = S.param("role");
    form.addEventListener("change", sync); sync();
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const role = form.role.value;
      const body = role === "staff" ? { role, authority: sel.value } : role === "expert" ? { role, subject: form.subject.value.trim() } : { role, org_code: form.org_code.value.trim().toUpperCase() };
      const r = await S.api("POST", "/dev/token", body);
      S.clear(msg());
      if (!r.ok) { msg().append(S.problem(r, "未能登录：")); return; }
      S.setToken(r.data.token);
      location.assign(next(role));
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const c = S.config || {};
    if (c.auth === "dev-key") { dev(); return; }
    const o = c.oidc || {};
    if (!o.issuer || !o.client_id) { msg().append(h("div", { class: "alert", role: "alert" }, "尚未配置统一身份认证，请联系平台管理员。")); return; }
    const code = S.param("code"), state = S.param("state");
    if (code) { oidcFinish(o, code, state); return; }
    S.$("#oidc").hidden = false;
    S.$("#oidc-start").addEventListener("click", () => oidcStart(o));
  });
})();
