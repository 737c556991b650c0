// Standing: what every page shares. No framework, no build step (docs/web.md).
"use strict";
(function () {
  const S = (window.Standing = {});
  const data = (id) => {
    const el = document.getElementById(id);
    try { return el ? JSON.parse(el.textContent) : {}; } catch (e) { return {}; }
  };
  S.config = data("standing-config");
  S.authorities = data("standing-authorities");

  // Build an element: h("p", {class: "x"}, "text", child...). Text is always text.
  S.h = function (tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
      else if (k === "text") el.textContent = v;
      else el.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  };
  S.$ = (sel, root) => (root || document).querySelector(sel);
  S.clear = (el) => { while (el.firstChild) el.removeChild(el.firstChild); return el; };

  // The session: the bearer token in sessionStorage (gone when the tab closes).
  const KEY = "standing.token";
  S.token = () => sessionStorage.getItem(KEY);
  S.setToken = (t) => (t ? sessionStorage.setItem(KEY, t) : sessionStorage.removeItem(KEY));
  S.claims = function () {
    const t = S.token();
    if (!t) return null;
    try {
      const b = t.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      const bytes = Uint8Array.from(atob(b), (c) => c.charCodeAt(0));
      const c = JSON.parse(new TextDecoder().decode(bytes));
      if (c.exp && c.exp * 1000 < Date.now()) { S.setToken(null); return null; }
      return c;
    } catch (e) { return null; }
  };
  S.signOut = function () { S.setToken(null); location.href = "/"; };

  // Call the /v1 API. Resolves to {ok, status, data} (data: JSON or problem+json).
  S.api = async function (method, path, body, headers) {
    const h = Object.assign({ Accept: "application/json" }, headers || {});
    const t = S.token();
    if (t) h.Authorization = "Bearer " + t;
    const init = { method, headers: h };
    if (body !== undefined) { h["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
    let r;
    try { r = await fetch(path, init); } catch (e) {
      return { ok: false, status: 0, data: { title: "Network error", detail: "网络连接失败，请检查网络后重试" } };
    }
    let d = null;
    const type = r.headers.get("content-type") || "";
    if (type.includes("json")) { try { d = await r.json(); } catch (e) { d = null; } }
    if (r.status === 401 && t) S.setToken(null);
    return { ok: r.ok, status: r.status, data: d };
  };

  // A problem+json answer, in Chinese, every failing field listed at once.
  S.problem = function (answer, prefix) {
    const p = (answer && answer.data) || {};
    const box = S.h("div", { class: "alert", role: "alert" }, S.h("strong", {}, prefix || "未能完成："), " ", p.detail || "出错了（" + answer.status + "）");
    const errs = Array.isArray(p.errors) ? p.errors : [];
    if (errs.length) {
      box.append(S.h("ul", {}, errs.map((e) => S.h("li", {}, (e.field ? e.field + "：" : "") + (e.detail || e.message || "")))));
    }
    return box;
  };
  S.ok = (text) => S.h("div", { class: "notice-ok", role: "status" }, text);
  S.status = (label, kind) => S.h("span", { class: "status" + (kind ? " " + kind : "") }, label);
  S.fields = (pairs) => S.h("dl", { class: "fields" }, pairs.filter((p) => p && p[1] !== undefined && p[1] !== null && p[1] !== "").map(([k, v]) => [S.h("dt", {}, k), S.h("dd", {}, v)]));
  // A last valid day; an award's 9999-12-31 (it does not lapse) reads as such.
  S.until = (date) => (date && date.startsWith("9999") ? "长期有效" : date);
  S.param = (k) => new URLSearchParams(location.search).get(k);
  S.lastSegment = () => decodeURIComponent(location.pathname.replace(/\/+$/, "").split("/").pop());
  S.contactOf = function (authorityName) {
    const all = (S.authorities && S.authorities.authorities) || {};
    return Object.values(all).find((a) => a.name === authorityName);
  };
  S.time = (iso) => (iso ? new Date(iso).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false }) : "");

  function footer() {
    const f = document.getElementById("issuers");
    if (!f) return;
    const p = (S.authorities && S.authorities.platform) || {};
    f.append(S.h("p", {}, (p.name || "") + " · 运营单位：" + (p.operator || "")));
    const list = S.h("ul", { class: "muted" });
    for (const a of Object.values((S.authorities && S.authorities.authorities) || {})) {
      list.append(S.h("li", {}, a.name + "：" + a.contact));
    }
    f.append(S.h("details", {}, S.h("summary", {}, "各主管机构联系方式"), list));
    if (p.filing_number) f.append(S.h("p", {}, p.filing_number));
  }
  function signinLink() {
    const a = document.getElementById("signin-link");
    const c = S.claims();
    if (!a || !c) return;
    a.textContent = "退出（" + (c.role === "staff" ? "工作人员" : c.role === "applicant" ? "申报单位" : c.role === "expert" ? "评审专家" : c.role) + "）";
    a.href = "#";
    a.addEventListener("click", (e) => { e.preventDefault(); S.signOut(); });
  }
  // Pages that need a signed-in caller of a role: send others to the sign-in page.
  // `role` is one role or a list of them (the console: staff, and experts for their panels).
  S.requireRole = function (role) {
    const roles = [].concat(role);
    const c = S.claims();
    if (c && roles.includes(c.role)) return c;
    location.replace("/signin?next=" + encodeURIComponent(location.pathname + location.search) + "&role=" + roles[0]);
    return null;
  };
  document.addEventListener("DOMContentLoaded", () => { footer(); signinLink(); });
})();
