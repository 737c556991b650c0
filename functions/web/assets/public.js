// The public pages: search, notices with the objection form, a company, a certificate.
"use strict";
(function () {
  const S = window.Standing, h = S.h;
  const SERIAL = /^[0-9A-Z]+-\d{4}-[0-9A-Z]{16}$/;

  async function search(q, out) {
    S.clear(out).append(h("p", { class: "muted" }, "正在查询……"));
    q = q.trim();
    if (SERIAL.test(q.toUpperCase())) {
      const r = await S.api("GET", "/v1/certificates/" + encodeURIComponent(q.toUpperCase()));
      S.clear(out);
      if (r.ok) {
        out.append(h("h2", {}, "证书"), h("div", { class: "card" },
          h("h3", {}, h("a", { href: "/certificates/" + encodeURIComponent(r.data.serial) }, r.data.title + " " + r.data.serial)),
          S.fields([["单位", r.data.company_name], ["状态", r.data.status_label], ["有效期至", S.until(r.data.valid_until)]])));
      } else out.append(h("p", {}, "没有编号为 " + q + " 的证书。"));
      return;
    }
    const r = await S.api("GET", "/v1/companies?q=" + encodeURIComponent(q));
    S.clear(out);
    if (!r.ok) { out.append(S.problem(r, "无法查询：")); return; }
    const list = r.data.results || [];
    out.append(h("h2", {}, "查询结果（" + list.length + " 家单位）"));
    if (!list.length) out.append(h("p", {}, "没有找到与“" + q + "”相符的单位。"));
    for (const c of list) {
      out.append(h("div", { class: "card" },
        h("h3", {}, h("a", { href: "/companies/" + encodeURIComponent(c.code) }, c.name)),
        S.fields([["统一社会信用代码", h("span", { class: "code" }, c.code)]])));
    }
  }

  function home() {
    const form = S.$("#search-form"), input = S.$("#q"), out = S.$("#search-results");
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      history.replaceState(null, "", "/?q=" + encodeURIComponent(input.value.trim()));
      search(input.value, out);
    });
    const q = S.param("q");
    if (q) { input.value = q; search(q, out); }
  }

  function objectionForm(n) {
    const id = "obj-" + n.id;
    const msg = h("div", { "aria-live": "polite" });
    const form = h("form", { class: "stack", id },
      h("label", { for: id + "-name" }, "姓名（须真实）"),
      h("input", { id: id + "-name", name: "name", required: true, maxlength: 50, autocomplete: "name" }),
      h("label", { for: id + "-contact" }, "联系方式", h("span", { class: "hint" }, "（手机或电子邮箱，用于答复）")),
      h("input", { id: id + "-contact", name: "contact", required: true, minlength: 5, maxlength: 100, autocomplete: "tel" }),
      h("label", { for: id + "-text" }, "异议内容和理由"),
      h("textarea", { id: id + "-text", name: "text", required: true, maxlength: 1000 }),
      h("div", {}, h("button", { type: "submit" }, "提交异议")), msg);
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const b = form.querySelector("button");
      b.disabled = true;
      const body = { name: form.name.value.trim(), contact: form.contact.value.trim(), text: form.text.value.trim() };
      const r = await S.api("POST", "/v1/notices/" + encodeURIComponent(n.id) + "/objections", body);
      S.clear(msg);
      if (r.ok) {
        msg.append(S.ok("异议已提交，编号 " + (r.data.id || r.data.objection_id || "") + "。主管机构将在核实后通过您留下的联系方式答复。"));
        form.reset();
      } else { msg.append(S.problem(r, "异议未提交：")); b.disabled = false; return; }
      b.disabled = false;
    });
    return h("details", { class: "objection" }, h("summary", {}, "对此结果提出异议"), form);
  }

  function noticeCard(n) {
    const contact = S.contactOf(n.authority_name);
    const open = n.status === "open";
    return h("article", { class: "card", id: "notice-" + n.id },
      h("h3", {}, h("a", { href: "/companies/" + encodeURIComponent(n.credit_code) }, n.company_name)),
      S.fields([
        ["统一社会信用代码", h("span", { class: "code" }, n.credit_code)],
        ["评定结果", n.level_label],
        ["积分", n.total],
        ["公示期", h("span", { class: "nowrap" }, n.starts_on) , " 至 ", h("span", { class: "nowrap" }, n.ends_on)],
        ["状态", S.status(n.status_label, open ? "" : "ok")],
        ["主管机构", n.authority_name],
        ["异议受理", contact ? contact.contact : null],
      ].map((p) => (p.length > 2 ? [p[0], h("span", {}, p.slice(1))] : p))),
      open && n.accepting_objections ? objectionForm(n) : null);
  }

  async function notices() {
    const out = S.$("#notices");
    const r = await S.api("GET", "/v1/notices");
    S.clear(out);
    if (!r.ok) { out.append(S.problem(r, "无法加载公示：")); return; }
    const open = r.data.open || [], closed = r.data.closed || [];
    out.append(h("h2", {}, "公示中（" + open.length + "）"));
    if (!open.length) out.append(h("p", {}, "目前没有正在公示的结果。"));
    open.forEach((n) => out.append(noticeCard(n)));
    out.append(h("h2", {}, "已结束（" + closed.length + "）"));
    if (!closed.length) out.append(h("p", {}, "暂无。"));
    closed.forEach((n) => out.append(noticeCard(n)));
    out.append(h("p", { class: "muted" }, "每个主管机构显示最近 100 条公示。"));
    const target = location.hash && document.getElementById(location.hash.slice(1));
    if (target) target.scrollIntoView();
  }

  async function company() {
    const code = S.lastSegment();
    const out = S.$("#company");
    const [who, certs, stars, alarm, credit] = await Promise.all([
      S.api("GET", "/v1/companies?q=" + encodeURIComponent(code)),
      S.api("GET", "/v1/organizations/" + encodeURIComponent(code) + "/certificates"),
      S.api("GET", "/v1/ratings/om-stars?code=" + encodeURIComponent(code)),
      S.api("GET", "/v1/ratings/alarm-operators?code=" + encodeURIComponent(code)),
      S.api("GET", "/v1/credit/agencies/" + encodeURIComponent(code)),
    ]);
    S.clear(out);
    if (!who.ok) { out.append(S.problem(who, "无法查询：")); return; }
    const found = (who.data.results || []).find((c) => c.code === code);
    const name = found ? found.name : (credit.ok ? credit.data.company_name : null);
    if (!name) { S.$("#company-name").textContent = "未找到单位"; out.append(h("p", {}, "平台上没有统一社会信用代码为 " + code + " 的单位。")); return; }
    S.$("#company-name").textContent = name;
    document.title = name + " · 行业评价与信用公示平台";
    out.append(S.fields([["统一社会信用代码", h("span", { class: "code" }, code)]]));
    out.append(h("h2", {}, "证书与等级"));
    const list = (certs.ok && certs.data.certificates) || [];
    if (!list.length) out.append(h("p", {}, "暂无证书。"));
    for (const c of list) {
      out.append(h("div", { class: "card" },
        h("h3", {}, h("a", { href: "/certificates/" + encodeURIComponent(c.serial) }, c.title)),
        S.fields([["等级", c.level_label], ["状态", S.status(c.status_label, c.status === "valid" ? "ok" : "bad")],
          ["证书编号", h("span", { class: "code" }, c.serial)], ["发证机构", c.authority_name],
          ["发证日期", c.issued_on], ["有效期至", S.until(c.valid_until)]])));
    }
    const rated = stars.ok ? (stars.data.ratings || []).filter((x) => x.credit_code === code) : [];
    out.append(h("h2", {}, "服务星级"));
    if (!rated.length) out.append(h("p", {}, "未列入星级名录。"));
    for (const x of rated) out.append(h("div", { class: "card" }, S.fields([["星级", x.level_label], ["评定日期", x.approved_on], ["有效期至", S.until(x.valid_until)], ["评定机构", stars.data.authority_zh]])));
    const filed = alarm.ok ? (alarm.data.ratings || []).filter((x) => x.credit_code === code) : [];
    if (filed.length) {
      out.append(h("h2", {}, "安防报警运营服务备案"));
      for (const x of filed) out.append(h("div", { class: "card" }, S.fields([["备案", x.level_label], ["备案日期", x.approved_on], ["有效期至", S.until(x.valid_until)], ["备案机关", alarm.data.authority_zh]])));
    }
    out.append(h("h2", {}, "信用等级"));
    if (credit.ok) out.append(h("div", { class: "card" }, S.fields([["信用等级", credit.data.level_label], ["信用分", credit.data.score], ["评价机构", credit.data.authority_zh], ["计算日期", credit.data.on]])));
    else out.append(h("p", {}, "未纳入信用评价。"));
  }

  async function certificate() {
    const serial = S.lastSegment();
    const out = S.$("#certificate");
    S.$("#print").addEventListener("click", () => window.print());
    const r = await S.api("GET", "/v1/certificates/" + encodeURIComponent(serial));
    S.clear(out);
    if (!r.ok) { out.append(h("div", { class: "alert", role: "alert" }, "查无此证：平台上没有编号为 " + serial + " 的证书。请核对编号，谨防伪造证书。")); return; }
    const c = r.data, valid = c.status === "valid";
    out.append(h("div", { class: valid ? "notice-ok" : "alert", role: "status" },
      h("strong", {}, valid ? "查验通过：此证书真实有效。" : "此证书当前" + c.status_label + "，不能作为有效证明。")));
    out.append(h("div", { class: "card" }, h("h2", {}, c.title),
      S.fields([["证书编号", h("span", { class: "code" }, c.serial)], ["持证单位", c.company_name],
        ["统一社会信用代码", h("span", { class: "code" }, c.credit_code)], ["住所", c.address], ["等级", c.level_label], ["业务范围", c.scope],
        ["状态", S.status(c.status_label, valid ? "ok" : "bad")], ["发证机构", c.authority_name],
        ["发证日期", c.issued_on], ["有效期至", S.until(c.valid_until)], ["撤销日期", c.revoked_on], ["撤销原因", c.revocation_ground],
        ["已由新证替代", c.superseded_by]]),
      h("p", { class: "muted" }, "查验时间：" + new Date().toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false }) + "（北京时间）"),
      c.signed ? h("p", { class: "muted" }, "电子签名：" + c.signed.alg + "，密钥 " + c.signed.key_id + "，可用公开密钥核验。") : null),
      h("p", { class: "no-print" }, h("a", { href: "/companies/" + encodeURIComponent(c.credit_code) }, "查看该单位的全部证书")));
  }

  // An award panel's public page (seed 001 五（三）、六): the proposed winners while on
  // notice, each with an objection form; then the winners with their certificates.
  async function award() {
    const id = S.lastSegment();
    const out = S.$("#award");
    const r = await S.api("GET", "/v1/awards/panels/" + encodeURIComponent(id) + "/results");
    S.clear(out);
    if (!r.ok) { out.append(h("div", { class: "alert", role: "alert" }, r.status === 404 ? "该奖项尚未公示。" : S.problem(r, "无法加载："))); return; }
    const x = r.data, open = x.status === "on_notice";
    S.$("h1").textContent = x.award + (open ? " 拟获奖名单公示" : " 获奖名单");
    out.append(S.fields([["公示期", x.notice.starts_on + " 至 " + x.notice.ends_on], ["状态", S.status(open ? "公示中" : "已发布", open ? "" : "ok")]]));
    if (open) out.append(h("p", {}, "公示期间，对拟获奖对象有异议的，可通过下方表单实名提出，并说明事实和理由；联系方式仅供协会核实，不公开。"));
    if (!x.winners.length) out.append(h("p", {}, "无。"));
    for (const w of x.winners) {
      const card = h("article", { class: "card", "data-application": w.application }, h("h2", {}, w.name ? w.name + "（" + w.unit + "）" : w.unit),
        S.fields([["奖项", w.award], ["荣誉证书", w.certificate_serial ? h("a", { href: "/certificates/" + encodeURIComponent(w.certificate_serial) }, w.certificate_serial) : null]]));
      if (open) {
        const fid = "aw-" + w.application;
        const f = h("form", { class: "stack", id: fid },
          h("label", { for: fid + "-n" }, "姓名"), h("input", { id: fid + "-n", name: "name", required: true, maxlength: 40, autocomplete: "name" }),
          h("label", { for: fid + "-c" }, "联系方式"), h("input", { id: fid + "-c", name: "contact", required: true, maxlength: 100 }),
          h("label", { for: fid + "-t" }, "异议内容和理由"), h("textarea", { id: fid + "-t", name: "text", required: true, maxlength: 2000 }),
          h("div", {}, h("button", { type: "submit" }, "提交异议")));
        f.addEventListener("submit", async (e) => {
          e.preventDefault();
          const a = await S.api("POST", "/v1/awards/panels/" + encodeURIComponent(id) + "/objections", { application: w.application, name: f.name.value.trim(), contact: f.contact.value.trim(), text: f.text.value.trim() });
          if (!a.ok) { f.append(S.problem(a, "异议未提交：")); return; }
          f.replaceWith(S.ok("异议已提交，协会将在发布结果前处理。"));
        });
        card.append(h("details", {}, h("summary", {}, "对此提出异议"), f));
      }
      out.append(card);
    }
  }

  // A client unit's evaluation form (seed 003 附录A), through the one-time link the
  // applicant sent it: no account; scores within each item's maximum, the evaluator, the
  // date, and the signed and stamped form's scan, uploaded straight to storage.
  async function evaluation() {
    const token = S.lastSegment();
    const out = S.$("#evaluation");
    const say = (el) => { const m = S.clear(S.$("#evaluation-message")); if (el) { m.append(el); m.scrollIntoView({ block: "nearest" }); } };
    const r = await S.api("GET", "/v1/evaluation-forms/" + encodeURIComponent(token));
    S.clear(out);
    if (!r.ok) {
      const plain = { 404: "评价链接无效。请向邀请您评价的单位索取新的链接。", 409: "此评价表已经提交，链接已失效。感谢您的评价。", 410: "此评价链接已过期。请向邀请您评价的单位索取新的链接。" }[r.status];
      out.append(plain ? h("div", { class: "alert", role: "alert" }, plain) : S.problem(r, "无法打开评价表："));
      return;
    }
    const f = r.data;
    const total = h("strong", { id: "eval-total" }, "0");
    const inputs = f.items.map((it) => h("input", { id: "score-" + it.id, type: "number", min: 0, max: it.max, step: "any", required: true, inputmode: "decimal" }));
    const sum = () => { total.textContent = String(inputs.reduce((a, x) => a + (Number(x.value) || 0), 0)); };
    inputs.forEach((x) => x.addEventListener("input", sum));
    const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
    const form = h("form", { class: "stack card", id: "evaluation-form", novalidate: true },
      h("h2", {}, f.title_zh),
      S.fields([["被评价单位", f.company_name], ["评价单位", f.client_name], ["链接有效期至", S.time(f.expires_at)], ["依据", String(f.seed || "").replace(/^seed-\d+\s*/, "")]]),
      h("p", { class: "hint" }, "请如实为每一项打分（不超过该项满分），填写后提交；并上传签字盖章的评价表扫描件。每个链接只能提交一次。"),
      h("div", { class: "table-wrap" }, h("table", { class: "lines" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "评价项目"), h("th", { scope: "col" }, "满分"), h("th", { scope: "col" }, "得分"))),
        h("tbody", {}, f.items.map((it, i) => h("tr", {}, h("td", {}, h("label", { for: "score-" + it.id }, it.title_zh)), h("td", { class: "nowrap" }, "满分 " + it.max), h("td", {}, inputs[i])))))),
      h("p", {}, "合计：", total, " / " + f.total),
      h("label", { for: "e-name" }, "评价人"), h("input", { id: "e-name", required: true, maxlength: 40, autocomplete: "name" }),
      h("label", { for: "e-unit" }, "评价单位名称（与盖章一致）"), h("input", { id: "e-unit", required: true, maxlength: 100, value: f.client_name, autocomplete: "organization" }),
      h("label", { for: "e-date" }, "评价日期"), h("input", { id: "e-date", type: "date", required: true, value: today }),
      h("label", { for: "e-scan" }, "签字盖章的评价表扫描件（PDF、JPG、PNG）"), h("input", { id: "e-scan", type: "file", required: true, accept: (f.scan_types || []).join(",") }),
      h("div", {}, h("button", { type: "submit" }, "提交评价")));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const file = S.$("#e-scan", form).files[0];
      const bad = f.items.filter((it, i) => inputs[i].value === "" || Number(inputs[i].value) < 0 || Number(inputs[i].value) > Number(it.max)).map((it) => it.title_zh);
      if (!file) bad.push("评价表扫描件");
      if (!S.$("#e-name", form).value.trim()) bad.push("评价人");
      if (bad.length) { say(h("div", { class: "alert", role: "alert" }, h("strong", {}, "请补全或更正：" ), h("ul", {}, bad.map((b) => h("li", {}, b))))); return; }
      const scores = {};
      f.items.forEach((it, i) => { scores[it.id] = Number(inputs[i].value); });
      const body = { evaluator_name: S.$("#e-name", form).value.trim(), unit_name: S.$("#e-unit", form).value.trim(), evaluated_on: S.$("#e-date", form).value,
        scores, scan: { file_name: file.name, content_type: file.type || "application/pdf", size_bytes: file.size } };
      const a = await S.api("POST", "/v1/evaluation-forms/" + encodeURIComponent(token), body);
      if (!a.ok) { say(S.problem(a, "未能提交：")); return; }
      const bar = h("progress", { max: 1, value: 0, "aria-label": "扫描件上传进度" });
      S.clear(out).append(h("div", { class: "card" }, h("p", {}, "评价已提交（合计 " + a.data.form.received.total + " 分）。正在上传扫描件……"), bar));
      const ok = await new Promise((resolve) => {
        const x = new XMLHttpRequest();
        x.open("PUT", a.data.upload.url);
        for (const [k, v] of Object.entries(a.data.upload.headers || {})) { if (!["host", "content-length"].includes(k.toLowerCase())) x.setRequestHeader(k, v); }
        x.upload.onprogress = (ev) => { if (ev.lengthComputable) bar.value = ev.loaded / ev.total; };
        x.onload = () => resolve(x.status >= 200 && x.status < 300);
        x.onerror = () => resolve(false);
        x.send(file);
      });
      say(ok ? S.ok("感谢您的评价。评价表和扫描件已提交，此链接已失效。") : h("div", { class: "alert", role: "alert" }, "评价已提交，但扫描件上传失败。请将签字盖章的评价表交给被评价单位，由其转交主管机构。"));
      bar.value = 1;
    });
    out.append(form);
  }

  document.addEventListener("DOMContentLoaded", () => {
    const page = (S.$("[data-page]") || {}).dataset;
    const which = page && page.page;
    if (which === "home") home();
    else if (which === "notices") notices();
    else if (which === "company") company();
    else if (which === "certificate") certificate();
    else if (which === "evaluation") evaluation();
    else if (which === "award") award();
  });
})();
