// The applicant portal: register the company, start an application, the form generated
// from GET /v1/schemes/{id} with the seed article beside each item, uploads straight to
// storage by the presigned PUT (progress, retry), a live preview from the evaluate
// route, every missing item listed before submit, status in plain language, and the
// notifications: what the platform and the authority did on the company's applications,
// and the annual-report reminders it was sent.
"use strict";
(function () {
  const S = window.Standing, h = S.h;
  const STATUS = { draft: "草稿（未提交）", submitted: "已提交，正在自动审核", staff_check: "等待主管机构人工核验", on_notice: "公示中", approved: "已通过", rejected: "未通过" };
  let me = null, root = null;
  const msg = (el) => { const m = S.clear(S.$("#portal-message")); if (el) { m.append(el); m.scrollIntoView({ block: "nearest" }); } };

  function registration(code) {
    const f = h("form", { class: "stack card", id: "register-form" },
      h("h2", {}, "登记本单位"),
      h("p", {}, "统一社会信用代码：", h("span", { class: "code" }, code)),
      h("label", { for: "r-name" }, "单位名称（与营业执照一致）"), h("input", { id: "r-name", name: "name", required: true, maxlength: 100, autocomplete: "organization" }),
      h("label", { for: "r-address" }, "住所"), h("input", { id: "r-address", name: "address", required: true, maxlength: 200, autocomplete: "street-address" }),
      h("label", { for: "r-established" }, "成立日期"), h("input", { id: "r-established", name: "established_on", type: "date", required: true }),
      h("label", { for: "r-legal" }, "法定代表人姓名"), h("input", { id: "r-legal", name: "legal", required: true, maxlength: 50 }),
      h("label", { for: "r-contact" }, "联系人"), h("input", { id: "r-contact", name: "contact", required: true, maxlength: 50, autocomplete: "name" }),
      h("label", { for: "r-phone" }, "联系电话"), h("input", { id: "r-phone", name: "phone", required: true, maxlength: 20, autocomplete: "tel", inputmode: "tel" }),
      h("div", {}, h("button", { type: "submit" }, "登记")));
    f.addEventListener("submit", async (e) => {
      e.preventDefault();
      const body = { code, name: f.name.value.trim(), address: f.address.value.trim(), established_on: f.established_on.value,
        legal_representative: { name: f.legal.value.trim() }, contact: { name: f.contact.value.trim(), phone: f.phone.value.trim() } };
      const r = await S.api("POST", "/v1/organizations", body);
      if (!r.ok) { msg(S.problem(r, "登记未完成：")); return; }
      msg(S.ok("已登记：" + r.data.name));
      home();
    });
    return f;
  }

  async function schemeForm(id) {
    const r = await S.api("GET", "/v1/schemes/" + encodeURIComponent(id));
    return r.ok ? r.data : null;
  }
  function rules(scheme) {
    const out = {};
    for (const g of (scheme.definition && scheme.definition.groups) || []) for (const r of g.rules || []) out[r.id] = r;
    return out;
  }
  const article = (seed) => (seed ? "依据：" + (seed.article || "") + (seed.quote ? "：“" + seed.quote + "”" : "") : "");

  function reasons(app, scheme) {
    const byId = scheme ? rules(scheme) : {};
    const list = (app.findings || []).map((f) => h("li", {}, (byId[f.rule_id] ? byId[f.rule_id].title_zh + "：" : "") + f.detail));
    return list.length ? h("div", { class: "alert" }, h("strong", {}, "未通过的原因："), h("ul", {}, list)) : null;
  }

  // Every status change the company did not make itself (the review, staff, the notice
  // closing) and every reminder, newest first.
  function notifications(apps, titles, reminders, changes) {
    const notes = [];
    for (const a of apps) {
      for (const x of a.history || []) {
        if (x.actor && x.actor.role === "applicant") continue;
        notes.push({ at: x.at, href: "/portal?app=" + encodeURIComponent(a.id),
          text: (titles[a.scheme] || a.scheme) + "：" + (STATUS[x.status] || x.status) + (x.note ? "。" + x.note : "") });
      }
    }
    for (const r of reminders) notes.push({ at: r.sent_at, text: "年报提醒：" + r.text });
    for (const c of changes) {
      if (c.status === "pending") continue;
      notes.push({ at: c.decided_at, href: "#change", text: "单位信息变更申请" + (c.status === "approved" ? "已批准，单位信息和有效证书已更新" : "未获批准") + (c.decision_note ? "。" + c.decision_note : "") });
    }
    notes.sort((x, y) => (x.at < y.at ? 1 : x.at > y.at ? -1 : 0));
    return h("section", { id: "notifications", class: "card" }, h("h2", {}, "通知（" + notes.length + "）"),
      notes.length
        ? h("ul", { class: "audit" }, notes.slice(0, 20).map((n) => h("li", {}, S.time(n.at) + "　", n.href ? h("a", { href: n.href }, n.text) : n.text)))
        : h("p", { class: "muted" }, "暂无通知。"));
  }

  // A change of the company's registered data (seed 000 第十三条): staff of the
  // association decide it; once approved the record and every valid certificate change.
  const CHANGE_STATUS = { pending: "待主管机构审核", approved: "已批准", refused: "未获批准" };
  function changeForm(org, list) {
    const f = h("form", { class: "stack", id: "change-form" },
      h("p", { class: "hint" }, "单位名称、住所、法定代表人等发生变更的，提交变更申请和有关部门的证明文件，经主管机构审核批准后，单位信息和有效证书随之更新。因改制或者分立、合并等有重大变更的，须重新申报。只填写需要变更的项目。"),
      h("label", { for: "c-name" }, "新的单位名称"), h("input", { id: "c-name", name: "name", maxlength: 100, placeholder: org.name }),
      h("label", { for: "c-address" }, "新的住所"), h("input", { id: "c-address", name: "address", maxlength: 200, placeholder: org.address }),
      h("label", { for: "c-legal" }, "新的法定代表人"), h("input", { id: "c-legal", name: "legal", maxlength: 50 }),
      h("label", { for: "c-reason" }, "变更理由"), h("textarea", { id: "c-reason", name: "reason", required: true, maxlength: 500 }),
      h("label", { for: "c-docs" }, "证明文件（每行一份，例如：市场监督管理局变更通知书）"), h("textarea", { id: "c-docs", name: "docs", maxlength: 2000 }),
      h("div", {}, h("button", { type: "submit" }, "提交变更申请")));
    f.addEventListener("submit", async (e) => {
      e.preventDefault();
      const changes = {};
      if (f.name.value.trim()) changes.name = f.name.value.trim();
      if (f.address.value.trim()) changes.address = f.address.value.trim();
      if (f.legal.value.trim()) changes.legal_representative_name = f.legal.value.trim();
      if (!Object.keys(changes).length) { msg(h("div", { class: "alert", role: "alert" }, "请至少填写一项需要变更的内容。")); return; }
      const documents = f.docs.value.split("\n").map((x) => x.trim()).filter(Boolean);
      const r = await S.api("POST", "/v1/organizations/" + encodeURIComponent(org.code) + "/changes", { kind: "ordinary", changes, reason: f.reason.value.trim(), documents });
      if (!r.ok) { msg(S.problem(r, "未能提交变更申请：")); return; }
      msg(S.ok("变更申请已提交，等待主管机构审核。"));
      home();
    });
    const label = { name: "单位名称", address: "住所", legal_representative_name: "法定代表人", contact: "联系人" };
    const past = list.length ? h("ul", { class: "audit", id: "change-list" }, list.slice().reverse().map((c) => h("li", {},
      S.time(c.requested_at) + "　" + Object.entries(c.changes).map(([k, v]) => (label[k] || k) + "→" + (typeof v === "object" ? v.name : v)).join("；") + "　",
      S.status(CHANGE_STATUS[c.status] || c.status, c.status === "approved" ? "ok" : c.status === "refused" ? "bad" : ""),
      c.decision_note ? "　" + c.decision_note : ""))) : null;
    const pending = list.some((c) => c.status === "pending");
    return h("details", { class: "card", id: "change", open: pending }, h("summary", {}, "单位信息变更" + (pending ? "（有待审核的申请）" : "")), past, f);
  }

  // The company's credit file, when a bureau keeps one (seed 002): level, score, the
  // events in force; a repair application for an untrustworthy event (三（二）) and a
  // signed credit report PDF.
  async function creditCard(code) {
    const r = await S.api("GET", "/v1/credit/agencies/" + encodeURIComponent(code));
    if (!r.ok) return null;
    const c = r.data;
    const box = h("section", { class: "card stack", id: "credit" }, h("h2", {}, "信用档案"),
      S.fields([["信用等级", c.level_label], ["信用分", c.score], ["评价机构", c.authority_zh], ["计算日期", c.on]]));
    const events = c.events || [];
    box.append(h("h3", {}, "在册信用行为（" + events.length + "）"));
    if (!events.length) box.append(h("p", { class: "muted" }, "暂无。"));
    for (const ev of events) {
      const row = h("div", { class: "item", "data-event": ev.id }, h("p", {}, ev.date + "　" + ev.title_zh + "（" + ev.article + "）　" + (ev.direction === "trustworthy" ? "+" : "") + ev.points + " 分" + (ev.repaired_on ? "　已于 " + ev.repaired_on + " 修复" : "")));
      if (ev.direction === "untrustworthy" && !ev.repaired_on) {
        const id = "repair-" + ev.id;
        const f = h("form", { class: "stack", id },
          h("label", { for: id + "-s" }, "修复说明（已整改的情况）"), h("textarea", { id: id + "-s", name: "statement", required: true, maxlength: 2000 }),
          h("label", { for: id + "-e" }, "证明材料（每行一项）"), h("textarea", { id: id + "-e", name: "evidence", required: true }),
          h("div", {}, h("button", { type: "submit" }, "申请信用修复")));
        f.addEventListener("submit", async (e) => {
          e.preventDefault();
          const evidence = f.evidence.value.split("\n").map((x) => x.trim()).filter(Boolean);
          const a = await S.api("POST", "/v1/credit/agencies/" + encodeURIComponent(code) + "/repairs", { event: ev.id, statement: f.statement.value.trim(), evidence });
          if (!a.ok) { msg(S.problem(a, "未能申请修复：")); return; }
          msg(S.ok("修复申请已提交，主管部门应于 " + a.data.answer_due_on + " 前答复。"));
          f.replaceWith(h("p", { class: "muted" }, "已申请修复，等待答复（期限 " + a.data.answer_due_on + "）。"));
        });
        row.append(h("details", {}, h("summary", {}, "申请信用修复"), f));
      }
      box.append(row);
    }
    const report = h("button", { type: "button", class: "secondary", id: "credit-report" }, "出具信用报告（PDF）");
    const out = h("div", { "aria-live": "polite" });
    report.addEventListener("click", async () => {
      report.disabled = true;
      const a = await S.api("POST", "/v1/credit/agencies/" + encodeURIComponent(code) + "/report");
      report.disabled = false;
      S.clear(out);
      if (!a.ok) { out.append(S.problem(a, "未能出具：")); return; }
      out.append(h("p", {}, "信用报告 " + a.data.serial + " 已出具（" + a.data.level_label + "，" + a.data.score + " 分）。",
        h("a", { href: a.data.download_url }, "下载 PDF"), "　", h("a", { href: a.data.verify_url }, "查验页")));
    });
    box.append(h("div", {}, report), out);
    return box;
  }

  // An alarm operator on file (seed 004) applies to suspend (歇业) or close (停业) its
  // service at least a month ahead, with its plans for its customers (二（三）3).
  async function suspensionForm(code) {
    // Only an operator on file needs the scheme's data (its list of city departments).
    const filed = await S.api("GET", "/v1/ratings/alarm-operators?code=" + encodeURIComponent(code));
    if (!filed.ok || !(filed.data.ratings || []).length) return null;
    const scheme = await schemeForm("alarm-operators");
    if (!scheme) return null;
    const cities = ((scheme.definition.parameters.city_authorities || {}).value || []).map((x) => x.split("="));
    // The lead time is the scheme's data (二（三）3 "提前一个月").
    const months = (scheme.definition.parameters.suspension_lead_months || {}).value;
    const lead = months ? months + "个月" : "";
    const ends = h("div", { class: "stack", hidden: true }, h("label", { for: "su-ends" }, "歇业结束日期"), h("input", { id: "su-ends", name: "ends_on", type: "date" }));
    const f = h("form", { class: "stack", id: "suspension-form" },
      h("p", { class: "hint" }, "报警运营服务企业歇业、停业的，应当提前" + lead + "向当地公安技防部门提交申请，载明原因和起止日期，并提出对客户服务的处理方案和赔偿方案；由盟市技防管理部门审查后报自治区公安厅技防管理部门核准备案。"),
      h("fieldset", {}, h("legend", {}, "申请事项"),
        h("label", {}, h("input", { type: "radio", name: "kind", value: "suspension", checked: true }), " 歇业（暂停，注明起止日期）"),
        h("label", {}, h("input", { type: "radio", name: "kind", value: "closure" }), " 停业")),
      h("label", { for: "su-city" }, "受理机关"), h("select", { id: "su-city", name: "city", required: true }, cities.map(([v, n]) => h("option", { value: v }, n))),
      h("label", { for: "su-starts" }, "开始日期"), h("input", { id: "su-starts", name: "starts_on", type: "date", required: true }), ends,
      h("label", { for: "su-reason" }, "原因"), h("textarea", { id: "su-reason", name: "reason", required: true, maxlength: 2000 }),
      h("label", { for: "su-customers" }, "对客户服务的处理方案"), h("textarea", { id: "su-customers", name: "customer_plan", required: true, maxlength: 4000 }),
      h("label", { for: "su-comp" }, "对客户造成损失的赔偿方案"), h("textarea", { id: "su-comp", name: "compensation_plan", required: true, maxlength: 4000 }),
      h("div", {}, h("button", { type: "submit" }, "提交歇业、停业申请")));
    const sync = () => { ends.hidden = f.kind.value !== "suspension"; };
    f.querySelectorAll("input[name=kind]").forEach((x) => x.addEventListener("change", sync));
    sync();
    f.addEventListener("submit", async (e) => {
      e.preventDefault();
      const body = { kind: f.kind.value, city: f.city.value, reason: f.reason.value.trim(), starts_on: f.starts_on.value,
        customer_plan: f.customer_plan.value.trim(), compensation_plan: f.compensation_plan.value.trim() };
      if (body.kind === "suspension") body.ends_on = f.ends_on.value;
      const r = await S.api("POST", "/v1/organizations/" + encodeURIComponent(code) + "/suspensions", body);
      if (!r.ok) { msg(S.problem(r, "未能提交：")); return; }
      msg(S.ok("申请已提交（" + r.data.city_name + "审查中），编号 " + r.data.id + "。"));
      f.reset();
      sync();
    });
    return h("details", { class: "card", id: "suspension" }, h("summary", {}, "报警运营服务歇业、停业申请"), f);
  }

  async function home() {
    S.clear(root);
    const org = await S.api("GET", "/v1/organizations/" + encodeURIComponent(me.org_code));
    if (org.status === 404) { root.append(registration(me.org_code)); return; }
    if (!org.ok) { root.append(S.problem(org, "无法加载本单位：")); return; }
    root.append(h("div", { class: "card" }, h("h2", {}, org.data.name), S.fields([["统一社会信用代码", h("span", { class: "code" }, org.data.code)], ["住所", org.data.address]])));
    // Everything the home page shows, at once (one round trip on a slow line).
    const [apps, schemes, reminders, changes, creditBox, suspensionBox] = await Promise.all([
      S.api("GET", "/v1/organizations/" + encodeURIComponent(me.org_code) + "/applications"),
      S.api("GET", "/v1/schemes"),
      S.api("GET", "/v1/organizations/" + encodeURIComponent(me.org_code) + "/reminders"),
      S.api("GET", "/v1/organizations/" + encodeURIComponent(me.org_code) + "/changes"),
      creditCard(me.org_code),
      suspensionForm(me.org_code),
    ]);
    const changeList = (changes.ok && changes.data.changes) || [];
    root.append(changeForm(org.data, changeList));
    const list = (apps.ok && apps.data.applications) || [];
    const titles = {};
    for (const s of (schemes.ok && schemes.data.schemes) || []) titles[s.id] = s.title_zh;
    root.append(notifications(list, titles, (reminders.ok && reminders.data.reminders) || [], changeList));
    if (creditBox) root.append(creditBox);
    if (suspensionBox) root.append(suspensionBox);
    root.append(h("h2", {}, "我的申报"));
    if (!list.length) root.append(h("p", {}, "还没有申报。"));
    for (const a of list.slice().reverse()) {
      root.append(h("div", { class: "card" },
        h("h3", {}, h("a", { href: "/portal?app=" + encodeURIComponent(a.id) }, titles[a.scheme] || a.scheme)),
        S.fields([["状态", S.status(STATUS[a.status] || a.status, a.status === "approved" ? "ok" : a.status === "rejected" ? "bad" : "")],
          ["结果", a.result && a.result.level_label ? a.result.level_label + "（" + a.result.total + " 分）" : null],
          ["创建时间", S.time(a.created_at)]])));
    }
    const open = ((schemes.ok && schemes.data.schemes) || []).filter((s) => s.in_force && s.applications.includes("initial"));
    const sel = h("select", { id: "new-scheme", name: "scheme" }, open.map((s) => h("option", { value: s.id }, s.title_zh + "（" + s.authority_zh + "）")));
    const extra = h("div", { class: "stack", id: "new-extra" });
    let ask = () => ({});
    const f = h("form", { class: "stack card", id: "new-application" }, h("h2", {}, "开始新的申报"),
      h("label", { for: "new-scheme" }, "评定项目"), sel, extra, h("div", {}, h("button", { type: "submit" }, "开始填写")));
    // What the scheme asks when an application starts: the level sought (star rating),
    // the local department that receives it (alarm operators, 属地管理), the award and,
    // for a personal award, the nominee.
    async function questions() {
      S.clear(extra);
      const id = sel.value;
      const scheme = await schemeForm(id);
      if (!scheme || sel.value !== id) return;
      const def = (scheme.definition.applications || []).find((k) => k.kind === "initial") || {};
      const parts = [];
      let level = null, authority = null, category = null, nominee = null;
      if (def.asks_level) {
        level = h("select", { id: "new-level", required: true }, (scheme.definition.levels || []).map((l) => h("option", { value: l.code }, l.title_zh)));
        parts.push(h("label", { for: "new-level" }, "申请的级别"), level, h("p", { class: "basis" }, article(def.seed)));
      }
      if (def.local_authority) {
        const cities = ((scheme.definition.parameters.city_authorities || {}).value || []).map((x) => x.split("="));
        authority = h("select", { id: "new-authority", required: true }, h("option", { value: "" }, "请选择"), cities.map(([v, name]) => h("option", { value: v }, name)));
        parts.push(h("label", { for: "new-authority" }, "受理机关（本单位所在盟市公安技防管理部门）"), authority);
      }
      const categories = (scheme.definition.groups || []).filter((g) => g.role === "category");
      if (categories.length) {
        category = h("select", { id: "new-category", required: true }, categories.map((g) => h("option", { value: g.id }, g.title_zh)));
        const who = h("div", { class: "stack" });
        const person = () => {
          S.clear(who);
          nominee = null;
          const g = categories.find((x) => x.id === category.value);
          if (!g || g.entrant !== "person") return;
          nominee = { name: h("input", { id: "n-name", maxlength: 40, required: true, autocomplete: "off" }),
            id_number: h("input", { id: "n-id", maxlength: 18, required: true, autocomplete: "off", class: "code" }),
            position: h("input", { id: "n-position", maxlength: 40 }) };
          who.append(h("p", { class: "hint" }, "个人奖项：填写被推荐人。公民身份号码经校验后平台只保存脱敏号码。"),
            h("label", { for: "n-name" }, "被推荐人姓名"), nominee.name, h("label", { for: "n-id" }, "公民身份号码"), nominee.id_number,
            h("label", { for: "n-position" }, "在本单位的职务"), nominee.position);
        };
        category.addEventListener("change", person);
        parts.push(h("label", { for: "new-category" }, "申报奖项"), category, who);
        person();
      }
      extra.append(...parts);
      ask = () => {
        const body = {};
        if (level) body.level = level.value;
        if (authority) body.authority = authority.value;
        if (category) body.category = category.value;
        if (nominee) {
          body.nominee = { name: nominee.name.value.trim(), id_number: nominee.id_number.value.trim().toUpperCase() };
          if (nominee.position.value.trim()) body.nominee.position = nominee.position.value.trim();
        }
        return body;
      };
    }
    sel.addEventListener("change", questions);
    questions();
    f.addEventListener("submit", async (e) => {
      e.preventDefault();
      const r = await S.api("POST", "/v1/applications", Object.assign({ scheme: sel.value }, ask()));
      if (!r.ok) { msg(S.problem(r, "未能创建申报：")); return; }
      location.assign("/portal?app=" + encodeURIComponent(r.data.id));
    });
    root.append(f);
  }

  // ---- the application form ----
  function uploader(app, key, evidence, onChange, suffix) {
    const list = h("ul", { class: "uploads" });
    const id = "file-" + key.replace(/[^a-z0-9]/gi, "-") + (suffix ? "-" + suffix : "");
    const input = h("input", { type: "file", id, accept: "application/pdf,image/jpeg,image/png", multiple: true });
    function put(url, headers, file, row, bar) {
      return new Promise((resolve) => {
        const x = new XMLHttpRequest();
        x.open("PUT", url);
        for (const [k, v] of Object.entries(headers || {})) { if (k.toLowerCase() !== "host" && k.toLowerCase() !== "content-length") x.setRequestHeader(k, v); }
        x.upload.onprogress = (e) => { if (e.lengthComputable) bar.value = e.loaded / e.total; };
        x.onload = () => resolve(x.status >= 200 && x.status < 300);
        x.onerror = () => resolve(false);
        x.send(file);
      });
    }
    // Remove an uploaded file from the draft (DELETE: it leaves every evidence list and
    // storage), confirmed first.
    function removable(row, name, materialId) {
      const b = h("button", { type: "button", class: "secondary" }, "删除");
      b.setAttribute("aria-label", "删除 " + name);
      b.addEventListener("click", async () => {
        if (!window.confirm("从草稿中删除材料“" + name + "”？")) return;
        const r = await S.api("DELETE", "/v1/applications/" + encodeURIComponent(app.id) + "/materials/" + encodeURIComponent(materialId));
        if (!r.ok) { msg(S.problem(r, "未能删除：")); return; }
        const i = evidence.indexOf(materialId);
        if (i >= 0) evidence.splice(i, 1);
        app.version = r.data.version;
        row.remove();
        msg(S.ok("已删除：" + name));
        onChange();
      });
      row.append(" ", b);
    }
    async function one(file) {
      const bar = h("progress", { max: 1, value: 0, "aria-label": file.name + " 上传进度" });
      const state = h("span", { class: "muted" }, "正在上传");
      const row = h("li", {}, file.name + " ", state, bar);
      list.append(row);
      const r = await S.api("POST", "/v1/applications/" + encodeURIComponent(app.id) + "/materials",
        { evidence_for: key, file_name: file.name, content_type: file.type || "application/pdf", size_bytes: file.size });
      if (!r.ok) { row.replaceChildren(file.name + "：", S.problem(r, "未能登记此文件：")); return; }
      const attempt = async () => {
        state.textContent = "正在上传";
        const ok = await put(r.data.upload.url, r.data.upload.headers, file, row, bar);
        if (ok) {
          state.textContent = "已上传";
          bar.value = 1;
          evidence.push(r.data.material.id);
          removable(row, file.name, r.data.material.id);
          onChange();
        } else {
          state.textContent = "上传失败";
          const retry = h("button", { type: "button", class: "secondary" }, "重试");
          retry.addEventListener("click", () => { retry.remove(); attempt(); });
          row.append(retry);
        }
      };
      await attempt();
    }
    input.addEventListener("change", () => { for (const f of input.files) one(f); input.value = ""; });
    const already = (app.materials || []).filter((m) => m.evidence_for === key && evidence.includes(m.id));
    for (const m of already) {
      const row = h("li", {}, (m.file_name || m.id) + " ", h("span", { class: "muted" }, "已上传"));
      removable(row, m.file_name || m.id, m.id);
      list.append(row);
    }
    return h("div", {}, h("label", { for: id, class: "hint" }, "上传证明材料（PDF、JPG、PNG，单个不超过 20 MB）"), input, list);
  }

  const cityName = (scheme, id) => {
    const hit = (((scheme.definition.parameters || {}).city_authorities || {}).value || []).map((x) => x.split("=")).find(([v]) => v === id);
    return hit ? hit[1] : null;
  };

  // ---- list sections ----
  const STAFF_FIELDS = {
    qualified: { label: "持有相关资格（职称、安全防范系统安装维护员证书或厂商认证）", kind: "flag" },
    college_or_above: { label: "大专及以上学历", kind: "flag" },
    training_session_hours: { label: "近 12 个月最长一次上岗后专项培训（小时）", kind: "number", required: true },
    id_number: { label: "公民身份号码（校验后只保存脱敏号码）", kind: "id" },
    civil_capacity: { label: "民事行为能力", kind: "select", options: [["full", "完全民事行为能力"], ["limited", "限制民事行为能力"], ["none", "无民事行为能力"]] },
    intentional_criminal_record: { label: "有故意犯罪记录", kind: "flag" },
  };
  const LISTS = {
    staff: { title: "从业人员名册", one: "人员", fields: (sec) => [{ key: "staff_ref", label: "人员编号或姓名（不填身份证号）", kind: "text", required: true }]
      .concat((sec.fields && sec.fields.length ? sec.fields : ["qualified", "college_or_above", "training_session_hours"]).map((k) => Object.assign({ key: k }, STAFF_FIELDS[k]))) },
    clients: { title: "维护保养客户", one: "客户", fields: () => [
      { key: "client_ref", label: "客户单位", kind: "text", required: true },
      { key: "key_protected", label: "重点保卫单位", kind: "flag" },
      { key: "signed_on", label: "合同签订（服务开始）日期", kind: "date", required: true },
      { key: "amount_fen", label: "合同金额（元）", kind: "money", required: true },
      { key: "renewals", label: "连续续签次数", kind: "int" }] },
    projects: { title: "工程项目", one: "项目", entryEvidence: true, fields: () => [
      { key: "project_ref", label: "工程名称", kind: "text", required: true },
      { key: "amount_fen", label: "合同金额（元）", kind: "money", required: true },
      { key: "completed_on", label: "竣工验收日期", kind: "date", required: true },
      { key: "accepted", label: "已通过用户验收或第三方检测", kind: "flag" },
      { key: "demonstration", label: "智慧城市示范项目", kind: "flag" }] },
  };
  const FLAG_YES = /^(是|有|y|yes|true|1|√|✓)$/i;
  // One entry as the declaration takes it.
  function entryJson(fields, e) {
    const out = {};
    for (const f of fields) {
      const v = e[f.key];
      if (f.kind === "flag") out[f.key] = !!v;
      else if (f.kind === "id") { if (v) out[f.key] = String(v).trim().toUpperCase(); }
      else if (f.kind === "number" || f.kind === "int" || f.kind === "money") { if (v !== undefined && v !== "" && v !== null) out[f.key] = Number(v); }
      else if (f.kind === "select") out[f.key] = v || f.options[0][0];
      else if (v !== undefined && v !== null && v !== "") out[f.key] = String(v).trim();
    }
    if (e.evidence) out.evidence = e.evidence;
    return out;
  }
  // A cell pasted from a spreadsheet, as the field keeps it.
  function fromCell(f, text) {
    const t = (text || "").trim();
    if (f.kind === "flag") return FLAG_YES.test(t);
    if (f.kind === "money") return t === "" ? "" : Math.round(Number(t.replace(/[,，元]/g, "")) * 100);
    if (f.kind === "number" || f.kind === "int") return t === "" ? "" : Number(t);
    if (f.kind === "select") { const o = f.options.find(([v, l]) => v === t || l === t); return o ? o[0] : f.options[0][0]; }
    if (f.kind === "date") return t.replace(/[./年月]/g, "-").replace(/日$/, "").replace(/-(\d)(?=-|$)/g, "-0$1");
    return t;
  }

  function listSection(app, st, changed) {
    const { spec, sec, fields } = st;
    const box = h("section", { class: "stack", id: "list-" + sec.id });
    const list = h("div", { class: "stack" });
    const count = h("span", {});
    function field(e, f, id) {
      const v = e[f.key];
      if (f.kind === "flag") {
        const input = h("input", { type: "checkbox", id, checked: !!v });
        input.addEventListener("change", () => { e[f.key] = input.checked; changed(); });
        return h("label", { for: id }, input, " " + f.label);
      }
      let input;
      if (f.kind === "select") {
        input = h("select", { id }, f.options.map(([val, label]) => h("option", { value: val, selected: (v || f.options[0][0]) === val }, label)));
        input.addEventListener("change", () => { e[f.key] = input.value; changed(); });
      } else {
        const type = f.kind === "date" ? "date" : f.kind === "text" || f.kind === "id" ? "text" : "number";
        const shown = f.kind === "money" && v !== undefined && v !== "" ? v / 100 : v;
        input = h("input", { id, type, value: shown === undefined || shown === null ? "" : shown, min: type === "number" ? 0 : null, step: f.kind === "int" ? 1 : type === "number" ? "any" : null, maxlength: type === "text" ? 80 : null, required: !!f.required });
        input.addEventListener("input", () => { e[f.key] = f.kind === "money" ? (input.value === "" ? "" : Math.round(Number(input.value) * 100)) : type === "number" ? (input.value === "" ? "" : Number(input.value)) : input.value; changed(); });
      }
      const hint = f.kind === "id" && e.id_number_masked && !v ? h("p", { class: "hint" }, "已核验：" + e.id_number_masked + "。保存修改时请重新填写完整号码，否则视为身份未核验。") : null;
      return [h("label", { for: id }, f.label), input, hint];
    }
    function render() {
      S.clear(list);
      count.textContent = "（" + st.entries.length + " 条）";
      st.entries.forEach((e, i) => {
        const id = sec.id + "-" + i;
        const remove = h("button", { type: "button", class: "secondary" }, "移除");
        remove.setAttribute("aria-label", "移除第 " + (i + 1) + " 条" + spec.one);
        remove.addEventListener("click", () => { st.entries.splice(i, 1); render(); changed(); });
        if (spec.entryEvidence) e.evidence = e.evidence || [];
        list.append(h("fieldset", { class: "stack card", "data-entry": i }, h("legend", {}, spec.one + " " + (i + 1)),
          fields.map((f) => field(e, f, id + "-" + f.key)),
          spec.entryEvidence ? uploader(app, sec.id, e.evidence, changed, i) : null,
          h("div", {}, remove)));
      });
    }
    const add = h("button", { type: "button", class: "secondary" }, "添加一条" + spec.one);
    add.addEventListener("click", () => { st.entries.push({}); render(); changed(); list.lastChild.querySelector("input,select").focus(); });
    const columns = fields.map((f) => f.label.replace(/（.*）/, "")).join("、");
    const paste = h("textarea", { id: "paste-" + sec.id, rows: 3 });
    const load = h("button", { type: "button", class: "secondary" }, "导入粘贴的行");
    load.addEventListener("click", () => {
      const rows = paste.value.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
      for (const row of rows) {
        const cells = row.includes("\t") ? row.split("\t") : row.split(/[,，]/);
        const e = {};
        fields.forEach((f, k) => { e[f.key] = fromCell(f, cells[k]); });
        st.entries.push(e);
      }
      paste.value = "";
      render();
      changed();
      msg(S.ok("已导入 " + rows.length + " 条，请逐条核对。"));
    });
    render();
    box.append(h("h2", {}, spec.title, count), h("p", { class: "basis" }, article(sec.seed)), list, h("div", { class: "row" }, add),
      h("details", {}, h("summary", {}, "从表格粘贴"), h("label", { for: "paste-" + sec.id, class: "hint" }, "每行一条，各列以制表符或逗号分隔，列的顺序：" + columns + "。是否项填“是”或“否”。"), paste, h("div", {}, load)),
      (sec.evidence || []).length ? h("div", { class: "item", "data-key": sec.id }, h("p", { class: "hint" }, "需要的材料：" + sec.evidence.join("、")), uploader(app, sec.id, st.evidence, changed)) : null);
    return box;
  }

  // The client units' evaluation forms (seed 003 附录A): one one-time link per declared
  // client, to send to the client unit; the forms' state as they come back.
  const FORM_STATUS = { awaiting: "等待客户填写", received: "已收到", withdrawn: "已撤回（不计入）" };
  async function evaluations(app, clients, declaration) {
    const box = h("section", { class: "stack", id: "evaluations" }, h("h2", {}, "用户评价表"),
      h("p", { class: "hint" }, "为每个已填写的维护保养客户生成一次性评价链接，发给该客户单位；客户单位无需注册，打开链接打分并上传盖章的评价表。链接只显示一次，请及时复制发送。"));
    const list = h("ul", { class: "audit", id: "evaluation-list" });
    const links = h("div", { class: "stack", id: "evaluation-links" });
    async function refresh() {
      const r = await S.api("GET", "/v1/applications/" + encodeURIComponent(app.id) + "/evaluations");
      S.clear(list);
      const forms = (r.ok && r.data.forms) || [];
      for (const f of forms) list.append(h("li", {}, f.client_name + "：" + (FORM_STATUS[f.status] || f.status) + (f.received ? "，合计 " + f.received.total + " 分" : "") + (f.status === "awaiting" ? "（链接有效期至 " + S.time(f.expires_at) + "）" : "")));
      if (!forms.length) list.append(h("li", { class: "muted" }, "尚未生成评价链接。"));
      return forms;
    }
    const ask = h("button", { type: "button", class: "secondary", id: "ask-evaluations" }, "为尚未评价的客户生成评价链接");
    ask.addEventListener("click", async () => {
      // The clients must be declared first: save the draft, then ask for each one not
      // yet asked.
      const d = await S.api("PUT", "/v1/applications/" + encodeURIComponent(app.id) + "/declaration", declaration());
      if (!d.ok) { msg(S.problem(d, "请先完善并保存草稿：")); return; }
      const asked = new Set((await refresh()).map((f) => f.client_ref));
      const todo = clients.entries.filter((c) => c.client_ref && !asked.has(String(c.client_ref).trim()));
      if (!todo.length) { msg(S.ok("每个客户都已生成评价链接。")); return; }
      for (const c of todo) {
        const ref = String(c.client_ref).trim();
        const r = await S.api("POST", "/v1/applications/" + encodeURIComponent(app.id) + "/evaluations", { client_ref: ref, client_name: ref });
        if (!r.ok) { links.append(S.problem(r, ref + "：未能生成链接：")); continue; }
        const url = location.origin + "/evaluate/" + encodeURIComponent(r.data.token);
        const field = h("input", { type: "text", readonly: true, value: url, id: "link-" + r.data.form.id, class: "code" });
        const copy = h("button", { type: "button", class: "secondary" }, "复制");
        copy.addEventListener("click", async () => { field.select(); try { await navigator.clipboard.writeText(url); } catch (_) { document.execCommand("copy"); } copy.textContent = "已复制"; });
        links.append(h("div", { class: "card", "data-client": ref }, h("label", { for: field.id }, "发给“" + ref + "”的评价链接"), field, h("div", {}, copy)));
      }
      msg(S.ok("已生成 " + todo.length + " 个评价链接，请复制发给客户单位。"));
      refresh();
    });
    await refresh();
    box.append(list, clients ? h("div", {}, ask) : null, links);
    return box;
  }

  async function editor(appId) {
    const a = await S.api("GET", "/v1/applications/" + encodeURIComponent(appId));
    if (!a.ok) { root.append(S.problem(a, "无法打开申报：")); return; }
    const app = a.data;
    const scheme = await schemeForm(app.scheme);
    if (!scheme) { root.append(h("p", {}, "无法加载评定办法。")); return; }
    S.$("h1").textContent = scheme.title_zh;
    const byId = rules(scheme);
    root.append(h("p", {}, h("a", { href: "/portal" }, "← 返回我的申报")));
    root.append(h("div", { class: "card" }, S.fields([["状态", S.status(STATUS[app.status] || app.status, app.status === "approved" ? "ok" : app.status === "rejected" ? "bad" : "")],
      ["评定办法版本", scheme.version], ["主管机构", scheme.authority_zh],
      ["申请的级别", app.level_sought ? ((scheme.definition.levels || []).find((l) => l.code === app.level_sought) || {}).title_zh || app.level_sought : null],
      ["受理机关", cityName(scheme, app.authority)],
      ["申报奖项", app.category ? ((scheme.definition.groups || []).find((g) => g.id === app.category) || {}).title_zh : null],
      ["被推荐人", app.nominee ? app.nominee.name + "（" + app.nominee.id_number_masked + "）" : null],
      ["结果", app.result && app.result.level_label ? app.result.level_label + "（" + app.result.total + " 分）" : null]]), reasons(app, scheme)));
    if (app.status === "rejected") {
      const b = h("button", { type: "button", id: "copy" }, "复制为新草稿");
      b.addEventListener("click", async () => {
        if (!window.confirm("将此申请的填报内容复制为新的草稿？证明材料需重新上传。")) return;
        const r = await S.api("POST", "/v1/applications/" + encodeURIComponent(app.id) + "/copy");
        if (!r.ok) { msg(S.problem(r, "未能复制：")); return; }
        location.assign("/portal?app=" + encodeURIComponent(r.data.id));
      });
      root.append(h("p", {}, b));
    }
    if (app.status !== "draft") {
      if (app.clients && (scheme.definition.forms || []).length) root.append(await evaluations(app, null, null));
      root.append(h("h2", {}, "办理进度"), h("ol", { class: "audit" }, (app.history || []).map((x) => h("li", {}, S.time(x.at) + " " + (STATUS[x.status] || x.status) + (x.note ? "：" + x.note : "")))));
      return;
    }
    const sectionDefs = ((scheme.definition.applications || []).find((k) => k.kind === app.kind) || { sections: [] }).sections;
    const sections = sectionDefs.map((x) => x.id);
    const category = app.category ? (scheme.definition.groups || []).find((g) => g.id === app.category) : null;
    // A nomination is asked only the conditions of its own award (and the common ones);
    // an application for a level, only the tiers up to that level (levels are listed
    // highest first).
    const levels = (scheme.definition.levels || []).map((l) => l.code);
    const sought = app.level_sought ? levels.indexOf(app.level_sought) : -1;
    // A conditional group (the alarm operators' suspension, filed through its own route)
    // only once the fact that triggers it is declared.
    const wanted = (g) => (g.role === "category" ? !category || g.id === category.id
      : g.role === "tier" && g.level !== undefined && sought >= 0 ? levels.indexOf(g.level) >= sought
      : g.role === "conditional" ? !!(g.applies_if && app.facts && app.facts[g.applies_if]) : true);
    const asked = new Set();
    for (const g of scheme.definition.groups || []) if (wanted(g)) for (const r of g.rules || []) asked.add(r.id);
    const facts = {}, items = {};
    // A stored fact's value is typed ({type, value}); a declaration sends the bare value.
    const stored = (k) => { const v = app.facts && app.facts[k] ? app.facts[k].value : undefined; return v && typeof v === "object" && "value" in v ? v.value : v; };
    for (const f of scheme.facts.filter((x) => asked.has(x.rule))) facts[f.key] = { value: stored(f.key) !== undefined ? stored(f.key) : f.kind === "bool" ? false : "", evidence: (app.facts && app.facts[f.key] && app.facts[f.key].evidence) || [], meta: f };
    for (const it of app.items || []) items[it.item] = { quantity: Number(it.quantity), evidence: it.evidence || [] };
    const form = h("form", { class: "stack", id: "application-form", novalidate: true });
    const preview = h("div", { id: "preview", class: "card", "aria-live": "polite" }, h("p", { class: "muted" }, "填写后在此预览积分。"));
    const missingBox = h("div", { id: "missing", "aria-live": "assertive" });
    let timer = null;
    const changed = () => { clearTimeout(timer); timer = setTimeout(runPreview, 400); };

    if (sections.includes("facts")) {
      form.append(h("h2", {}, "申请条件"));
      for (const [key, f] of Object.entries(facts)) {
        const rule = byId[f.meta.rule] || {};
        const id = "fact-" + key;
        if (f.meta.platform) {
          // The platform's own records decide it (registration, the association's
          // membership record): nothing to declare or upload.
          form.append(h("div", { class: "item", "data-key": key }, h("p", {}, h("strong", {}, rule.title_zh || key)),
            h("p", { class: "hint" }, "由平台依据单位登记和主管机构的会员记录核对，无需填报。"), h("p", { class: "basis" }, article(rule.seed))));
          continue;
        }
        let input;
        if (f.meta.kind === "bool") {
          // Ticked = "the company meets this condition": the value that meets the rule
          // (a "false" check, such as no major accident, is met by false).
          const meets = !(rule.check && rule.check.kind === "false");
          f.claimed = stored(key) === meets;
          f.value = f.claimed ? meets : !meets;
          input = h("input", { type: "checkbox", id, checked: f.claimed });
          input.addEventListener("change", () => { f.claimed = input.checked; f.value = input.checked ? meets : !meets; changed(); });
        } else {
          input = h("input", { id, type: f.meta.kind === "number" ? "number" : f.meta.kind === "date" ? "date" : "text", value: f.value });
          input.addEventListener("input", () => { f.value = f.meta.kind === "number" ? Number(input.value) : input.value; changed(); });
        }
        const label = f.meta.kind === "bool" ? h("label", { for: id }, input, " 符合：", rule.title_zh || key) : [h("label", { for: id }, rule.title_zh || key), input];
        form.append(h("div", { class: "item", "data-key": key }, label,
          h("p", { class: "basis" }, article(rule.seed)),
          f.meta.evidence.length ? [h("p", { class: "hint" }, "需要的材料：" + f.meta.evidence.join("、")), uploader(app, key, f.evidence, changed)] : null));
      }
    }
    if (sections.includes("items")) {
      const pts = scheme.definition.points || { areas: [] };
      form.append(h("h2", {}, "积分项目"));
      if (pts.default) form.append(h("p", { class: "hint" }, "说明：" + pts.note));
      for (const area of pts.areas || []) {
        form.append(h("h3", {}, area.title_zh + "（最高 " + area.max + " 分）"), h("p", { class: "basis" }, article(area.seed)));
        for (const it of area.items) {
          const v = (items[it.id] = items[it.id] || { quantity: 0, evidence: [] });
          const id = "item-" + it.id.replace(/\./g, "-");
          const input = h("input", { id, type: "number", min: 0, step: "any", value: v.quantity, inputmode: "decimal" });
          input.addEventListener("input", () => { v.quantity = Number(input.value) || 0; changed(); });
          form.append(h("div", { class: "item", "data-key": it.id },
            h("label", { for: id }, it.title_zh, h("span", { class: "hint" }, "（" + it.unit_zh + " " + it.points_per_unit + " 分，最高 " + it.max + " 分）")), input,
            it.evidence ? h("p", { class: "hint" }, "需要的材料：" + it.evidence.join("、")) : null, uploader(app, it.id, v.evidence, changed)));
        }
      }
    }
    // The list sections (staff roster, clients served, projects): one small form per
    // entry, pasting rows from a spreadsheet, and the materials behind the whole list.
    const lists = {};
    for (const sec of sectionDefs) {
      const spec = LISTS[sec.id];
      if (!spec) continue;
      const fields = spec.fields(sec);
      const stored = app[sec.id] || { entries: [], evidence: [] };
      const state = lists[sec.id] = { spec, sec, fields, entries: stored.entries.map((x) => Object.assign({}, x)), evidence: (stored.evidence || []).slice() };
      form.append(listSection(app, state, changed));
    }
    if (lists.clients && (scheme.definition.forms || []).length) form.append(await evaluations(app, lists.clients, () => declaration()));
    // A nomination's checklist (seed 001 附件三): one upload per listed material.
    const checklist = [];
    if (category) {
      form.append(h("h2", {}, "申报材料清单"), h("p", { class: "basis" }, article(category.seed) + "（附件三）"));
      for (const m of category.materials || []) {
        const key = category.id + "." + m.id;
        const ev = (app.materials || []).filter((x) => x.evidence_for === key).map((x) => x.id);
        checklist.push({ title: m.title_zh, evidence: ev });
        form.append(h("div", { class: "item", "data-key": key }, h("p", {}, h("strong", {}, m.title_zh)), uploader(app, key, ev, changed)));
      }
    }
    const unsupported = sections.filter((x) => x !== "facts" && x !== "items" && !LISTS[x]);
    if (unsupported.length) form.append(h("div", { class: "alert" }, "本项目还需填写：" + unsupported.join("、") + "，网页暂不支持，请通过接口提交。"));

    function declaration() {
      const out = {};
      if (sections.includes("facts")) {
        out.facts = {};
        for (const [k, f] of Object.entries(facts)) {
          if (f.meta.platform) continue;
          if (f.meta.kind !== "bool" && (f.value === "" || f.value === null)) continue;
          out.facts[k] = { value: f.value, evidence: f.evidence };
        }
      }
      if (sections.includes("items")) out.items = Object.entries(items).filter(([, v]) => v.quantity > 0).map(([k, v]) => ({ item: k, quantity: v.quantity, evidence: v.evidence }));
      for (const [id, st] of Object.entries(lists)) out[id] = { entries: st.entries.map((e) => entryJson(st.fields, e)), evidence: st.evidence };
      return out;
    }
    function missing() {
      const out = [];
      for (const [k, f] of Object.entries(facts)) {
        if (f.meta.platform) continue;
        const title = (byId[f.meta.rule] || {}).title_zh || k;
        const claimed = f.meta.kind === "bool" ? f.claimed : f.value !== "" && f.value !== null;
        if (f.meta.kind === "bool" && !f.claimed) out.push(title + "：尚未确认符合");
        else if (f.meta.evidence.length && f.evidence.length === 0 && claimed) out.push(title + "：缺少" + f.meta.evidence.join("、"));
      }
      const all = {};
      for (const a of (scheme.definition.points || { areas: [] }).areas) for (const it of a.items) all[it.id] = it;
      for (const [k, v] of Object.entries(items)) if (v.quantity > 0 && v.evidence.length === 0) out.push((all[k] ? all[k].title_zh : k) + "：缺少" + ((all[k] && all[k].evidence) || ["证明材料"]).join("、"));
      for (const st of Object.values(lists)) {
        // Whether a list must have entries is the scheme's rules' business (the preview
        // and the submission name them); a list that has entries needs its materials.
        if (st.entries.length && (st.sec.evidence || []).length && !st.evidence.length) out.push(st.spec.title + "：缺少" + st.sec.evidence.join("、"));
        st.entries.forEach((e, i) => {
          for (const f of st.fields) if (f.required && (e[f.key] === undefined || e[f.key] === "" || e[f.key] === null)) out.push(st.spec.title + "第 " + (i + 1) + " 条：" + f.label + "未填");
          if (st.spec.entryEvidence && !(e.evidence || []).length) out.push(st.spec.title + "“" + (e[st.fields[0].key] || i + 1) + "”：缺少合同、验收报告等材料");
        });
      }
      for (const c of checklist) if (!c.evidence.length) out.push("申报材料清单：缺少" + c.title);
      return out;
    }
    async function runPreview() {
      const r = await S.api("POST", "/v1/schemes/" + encodeURIComponent(app.scheme) + "/evaluate", Object.assign({ kind: app.kind }, app.level_sought ? { level: app.level_sought } : {}, declaration()));
      S.clear(preview);
      if (!r.ok) { preview.append(S.problem(r, "暂无法预览：")); return; }
      const rep = r.data;
      const bad = (rep.lines || []).filter((l) => l.outcome !== "met" && l.outcome !== "points" && l.outcome !== "not_applicable");
      preview.append(h("h2", {}, "积分预览"),
        S.fields([["预计积分", (rep.total || "0") + (rep.max_total ? " / " + rep.max_total : "")], ["预计等级", rep.level ? rep.level.title_zh || rep.level.label || rep.level.code : "未达到最低等级"]]),
        bad.length ? h("details", {}, h("summary", {}, "尚不满足或需人工核验的条款（" + bad.length + "）"), h("ul", {}, bad.map((l) => h("li", {}, l.title_zh + "：" + l.detail)))) : null,
        h("p", { class: "hint" }, "预览不保存，也不代表最终结果。"));
    }
    const save = h("button", { type: "button", class: "secondary", id: "save" }, "保存草稿");
    const submit = h("button", { type: "submit", id: "submit" }, "提交申报");
    form.append(missingBox, h("div", { class: "row" }, save, submit));
    save.addEventListener("click", async () => {
      const r = await S.api("PUT", "/v1/applications/" + encodeURIComponent(app.id) + "/declaration", declaration());
      msg(r.ok ? S.ok("草稿已保存。") : S.problem(r, "未能保存："));
    });
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      S.clear(missingBox);
      const gaps = missing();
      if (gaps.length) {
        missingBox.append(h("div", { class: "alert", role: "alert" }, h("strong", {}, "还有 " + gaps.length + " 项未完成，补齐后再提交："), h("ul", {}, gaps.map((g) => h("li", {}, g)))));
        missingBox.scrollIntoView({ block: "nearest" });
        return;
      }
      submit.disabled = true;
      const d = await S.api("PUT", "/v1/applications/" + encodeURIComponent(app.id) + "/declaration", declaration());
      if (!d.ok) { missingBox.append(S.problem(d, "未能保存：")); submit.disabled = false; return; }
      const r = await S.api("POST", "/v1/applications/" + encodeURIComponent(app.id) + "/submit", undefined, { "Idempotency-Key": "web-" + app.id + "-" + app.version });
      if (!r.ok) { missingBox.append(S.problem(r, "未能提交：")); submit.disabled = false; return; }
      msg(S.ok("已提交。自动审核完成后，结果会显示在这里。"));
      S.clear(root);
      editor(app.id);
    });
    root.append(h("div", { class: "split" }, form, h("aside", {}, preview)));
    runPreview();
  }

  document.addEventListener("DOMContentLoaded", () => {
    me = S.requireRole("applicant");
    if (!me) return;
    root = S.clear(S.$("#portal"));
    const app = S.param("app");
    if (app) editor(app); else home();
  });
})();
