// The staff console: the work queue with summaries, an application with its materials
// opened in the browser beside the evaluation report, the checks form, objections,
// memberships, change requests of company data, certificates and their revocation;
// every action confirmed first, and the audit trail shown.
"use strict";
(function () {
  const S = window.Standing, h = S.h;
  const STATUS = { draft: "草稿", submitted: "已提交，自动审核中", staff_check: "待人工核验", on_notice: "公示中", approved: "已通过", rejected: "未通过" };
  const OUTCOME = { met: "符合", not_met: "不符合", points: "计分", evidence_missing: "缺少材料", needs_human_check: "待人工核验", not_applicable: "不适用" };
  const ACTOR = { applicant: "申报单位", staff: "工作人员", system: "系统", public: "公众" };
  let me = null, root = null;
  const msg = (el) => { const m = S.clear(S.$("#console-message")); if (el) { m.append(el); m.scrollIntoView({ block: "nearest" }); } };
  const path = (...p) => "/v1/" + p.map(encodeURIComponent).join("/");
  // An approve-or-refuse form (change requests, repairs, suspensions): `extra` first,
  // then the pair of choices, the note (named `key`) and the button.
  function decisionForm(id, o) {
    return h("form", { class: "stack", id }, o.extra || null,
      h("fieldset", {}, h("legend", {}, o.legend),
        h("label", {}, h("input", { type: "radio", name: "approve", value: "yes", checked: true }), " " + o.yes),
        h("label", {}, h("input", { type: "radio", name: "approve", value: "no" }), " " + o.no)),
      h("label", { for: id + "-note" }, o.note), h("textarea", { id: id + "-note", name: "note", maxlength: o.max || 1000 }),
      h("div", {}, h("button", { type: "submit" }, o.button)));
  }
  // Its answer: `{approve, [key]: the note}` (the note only when given).
  function decision(form, key) {
    const body = { approve: form.approve.value === "yes" };
    if (form.note.value.trim()) body[key || "note"] = form.note.value.trim();
    return body;
  }

  async function queue() {
    const auth = ((S.authorities && S.authorities.authorities) || {})[me.authority];
    root.append(h("p", {}, "本机构：" + (auth ? auth.name : me.authority)));
    const schemes = await S.api("GET", "/v1/schemes");
    const titles = {};
    for (const x of (schemes.ok && schemes.data.schemes) || []) titles[x.id] = x.title_zh;
    for (const status of ["staff_check", "submitted", "on_notice"]) {
      const r = await S.api("GET", "/v1/applications?status=" + status);
      root.append(h("h2", {}, STATUS[status] + "（" + ((r.ok && r.data.applications.length) || 0) + "）"));
      if (!r.ok) { root.append(S.problem(r, "无法加载：")); continue; }
      if (!r.data.applications.length) root.append(h("p", { class: "muted" }, "暂无。"));
      for (const a of r.data.applications) {
        root.append(h("div", { class: "card" },
          h("h3", {}, h("a", { href: "/console?app=" + encodeURIComponent(a.id) }, a.company_name || a.org)),
          S.fields([["统一社会信用代码", h("span", { class: "code" }, a.org)], ["评定项目", titles[a.scheme] || a.scheme],
            ["积分与等级", a.result ? (a.result.total || "—") + " 分 " + (a.result.level_label || "") : null],
            ["待核验", a.pending_checks && a.pending_checks.length ? a.pending_checks.length + " 项" : null],
            ["材料", (a.materials || []).length + " 份"], ["更新", S.time((a.history || []).slice(-1)[0] && a.history.slice(-1)[0].at)]])));
      }
    }
  }

  function trail(app) {
    return h("section", {}, h("h2", {}, "办理记录"), h("ol", { class: "audit", id: "audit" },
      (app.history || []).map((x) => h("li", {}, S.time(x.at) + "　" + (STATUS[x.status] || x.status) + "　" + (x.actor ? ACTOR[x.actor.role] || x.actor.role || "" : "") + (x.actor && x.actor.id ? "（" + x.actor.id + "）" : "") + (x.note ? "：" + x.note : "")))));
  }

  // What a material is for, in words: the condition's or the point item's title.
  async function labels(schemeId) {
    const out = {};
    const r = await S.api("GET", path("schemes", schemeId));
    if (!r.ok) return { title: schemeId, of: out };
    const rules = {};
    for (const g of r.data.definition.groups || []) for (const x of g.rules || []) rules[x.id] = x.title_zh;
    for (const f of r.data.facts || []) out[f.key] = rules[f.rule] || f.key;
    for (const a of (r.data.definition.points || {}).areas || []) for (const it of a.items || []) out[it.id] = it.title_zh;
    return { title: r.data.title_zh, of: out };
  }

  function viewer(app, names) {
    const frame = h("div", { id: "viewer" }, h("p", { class: "muted" }, "选择一份材料在此查看。"));
    const list = h("ul", {}, (app.materials || []).map((m) => {
      const b = h("button", { type: "button", class: "secondary" }, "查看");
      b.addEventListener("click", async () => {
        const r = await S.api("GET", path("applications", app.id, "materials", m.id));
        S.clear(frame);
        if (!r.ok) { frame.append(S.problem(r, "无法打开：")); return; }
        const title = m.file_name + "（" + (names[m.evidence_for] || m.evidence_for) + "）";
        frame.append(h("p", {}, title + " ", h("a", { href: r.data.url, target: "_blank", rel: "noopener" }, "在新窗口打开")),
          m.content_type.startsWith("image/") ? h("img", { src: r.data.url, alt: title, class: "viewer" }) : h("iframe", { src: r.data.url, title, class: "viewer" }));
      });
      return h("li", {}, m.file_name + "，" + (names[m.evidence_for] || m.evidence_for) + "，" + Math.ceil(m.size_bytes / 1024) + " KB ", b);
    }));
    return h("section", {}, h("h2", {}, "申报材料（" + (app.materials || []).length + "）"), list, frame);
  }

  function report(app, titles) {
    const rep = app.reports && app.reports.length ? app.reports[app.reports.length - 1].report : null;
    if (!rep) return h("section", {}, h("h2", {}, "评估报告"), h("p", {}, "尚无评估报告。"));
    return h("section", {}, h("h2", {}, "评估报告"),
      S.fields([["办法版本", rep.version], ["积分", (rep.total || "—") + (rep.max_total ? " / " + rep.max_total : "")], ["等级", rep.level ? rep.level.title_zh : "未达等级"]]),
      h("div", { class: "table-wrap" }, h("table", { class: "lines" }, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "条款"), h("th", { scope: "col" }, "结果"), h("th", { scope: "col" }, "说明"))),
        h("tbody", {}, rep.lines.map((l) => { titles[l.rule_id] = l.title_zh; return h("tr", {}, h("td", {}, l.title_zh), h("td", { class: "nowrap" }, OUTCOME[l.outcome] || l.outcome), h("td", {}, l.detail)); })))));
  }

  function checksForm(app, titles) {
    const pending = app.pending_checks || [];
    if (app.status !== "staff_check" || !pending.length) return null;
    const form = h("form", { class: "stack card", id: "checks-form" }, h("h2", {}, "人工核验"),
      pending.map((rule, i) => h("fieldset", { class: "stack" }, h("legend", {}, titles[rule] || rule),
        h("label", {}, h("input", { type: "radio", name: "met-" + i, value: "yes", checked: true }), " 符合"),
        h("label", {}, h("input", { type: "radio", name: "met-" + i, value: "no" }), " 不符合"),
        h("label", { for: "note-" + i }, "核验说明"), h("input", { id: "note-" + i, name: "note-" + i, maxlength: 500, required: true }))),
      h("div", {}, h("button", { type: "submit" }, "提交核验结果")));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const checks = pending.map((rule, i) => ({ rule_id: rule, met: form["met-" + i].value === "yes", note: form["note-" + i].value.trim() }));
      const summary = checks.map((c) => (titles[c.rule_id] || c.rule_id) + "：" + (c.met ? "符合" : "不符合")).join("\n");
      if (!window.confirm("确认提交以下核验结果？提交后申请回到自动审核。\n" + summary)) return;
      const r = await S.api("POST", path("applications", app.id, "checks"), { checks });
      if (!r.ok) { msg(S.problem(r, "未能提交：")); return; }
      msg(S.ok("核验结果已记录，申请已回到自动审核。"));
      setTimeout(() => location.reload(), 1500);
    });
    return form;
  }

  async function objections(app) {
    if (!app.notice_id) return null;
    const r = await S.api("GET", path("notices", app.notice_id, "objections"));
    const box = h("section", { id: "objections" }, h("h2", {}, "公示与异议"));
    if (!r.ok) { box.append(S.problem(r, "无法加载异议：")); return box; }
    const n = r.data.notice;
    box.append(S.fields([["公示期", n.starts_on + " 至 " + n.ends_on], ["状态", n.status_label || n.status], ["公示页", h("a", { href: "/notices#notice-" + n.id }, "查看公示")]]));
    if (!r.data.objections.length) box.append(h("p", {}, "暂无异议。"));
    for (const o of r.data.objections) {
      const card = h("div", { class: "card" }, S.fields([["异议人", o.name], ["联系方式", o.contact], ["内容", o.text], ["状态", o.status === "pending" ? "待处理" : o.status === "upheld" ? "异议成立" : "异议不成立"]]));
      if (o.status === "pending") {
        const id = "obj-" + o.id;
        const form = h("form", { class: "stack", id },
          h("fieldset", {}, h("legend", {}, "处理决定"),
            h("label", {}, h("input", { type: "radio", name: "decision", value: "dismissed", checked: true }), " 异议不成立（驳回）"),
            h("label", {}, h("input", { type: "radio", name: "decision", value: "upheld" }), " 异议成立，退回重新审核")),
          h("label", { for: id + "-reason" }, "理由（将告知异议人）"), h("textarea", { id: id + "-reason", name: "reason", required: true, maxlength: 1000 }),
          h("div", {}, h("button", { type: "submit" }, "提交处理决定")));
        form.addEventListener("submit", async (e) => {
          e.preventDefault();
          const upheld = form.decision.value === "upheld";
          const body = { decision: form.decision.value, reason: form.reason.value.trim() };
          if (upheld) body.then = "review";
          if (!window.confirm("确认" + (upheld ? "认定异议成立并退回重新审核" : "驳回该异议") + "？")) return;
          const d = await S.api("POST", path("notices", app.notice_id, "objections", o.id, "decision"), body);
          if (!d.ok) { msg(S.problem(d, "未能提交：")); return; }
          msg(S.ok("处理决定已记录。"));
          setTimeout(() => location.reload(), 1500);
        });
        card.append(form);
      }
      box.append(card);
    }
    return box;
  }

  async function application(id) {
    const r = await S.api("GET", path("applications", id));
    if (!r.ok) { root.append(S.problem(r, "无法打开申请：")); return; }
    const app = r.data, titles = {};
    const scheme = await labels(app.scheme);
    S.$("h1").textContent = (app.company_name || app.org) + " · " + scheme.title;
    root.append(h("p", {}, h("a", { href: "/console" }, "← 返回待办")),
      h("div", { class: "card" }, S.fields([["状态", S.status(STATUS[app.status] || app.status)], ["统一社会信用代码", h("span", { class: "code" }, app.org)],
        ["结果", app.result ? (app.result.total || "—") + " 分 " + (app.result.level_label || "") : null]])));
    const rep = report(app, titles);
    root.append(h("div", { class: "split" }, viewer(app, scheme.of), rep));
    const checks = checksForm(app, titles);
    if (checks) root.append(checks);
    const obj = await objections(app);
    if (obj) root.append(obj);
    root.append(trail(app));
  }

  function memberships() {
    S.$("h1").textContent = "会员记录";
    const out = h("div", { "aria-live": "polite" });
    const form = h("form", { class: "stack card", id: "membership-form" }, h("h2", {}, "登记会员"),
      h("label", { for: "m-code" }, "单位统一社会信用代码"), h("input", { id: "m-code", name: "code", required: true, maxlength: 18, class: "code" }),
      h("label", { for: "m-since" }, "入会日期"), h("input", { id: "m-since", name: "since", type: "date", required: true }),
      h("div", { class: "row" }, h("button", { type: "submit" }, "登记"), h("button", { type: "button", class: "secondary", id: "m-show" }, "查看记录")));
    async function show(code) {
      const r = await S.api("GET", path("organizations", code, "memberships"));
      S.clear(out);
      if (!r.ok) { out.append(S.problem(r, "无法查看：")); return; }
      if (!r.data.memberships.length) out.append(h("p", {}, "本机构没有该单位的会员记录。"));
      for (const m of r.data.memberships) out.append(h("div", { class: "card" }, h("h3", {}, m.authority),
        h("ul", { class: "audit" }, m.periods.map((p) => h("li", {}, "自 " + p.since + (p.until ? " 至 " + p.until : " 起") + "，登记于 " + S.time(p.recorded_at) + (p.recorded_by && p.recorded_by.id ? "（" + p.recorded_by.id + "）" : ""))))));
    }
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const code = form.code.value.trim().toUpperCase();
      if (!window.confirm("确认登记 " + code + " 自 " + form.since.value + " 起为本协会会员？")) return;
      const r = await S.api("POST", path("organizations", code, "memberships"), { since: form.since.value });
      if (!r.ok) { msg(S.problem(r, "未能登记：")); return; }
      msg(S.ok("会员记录已登记。"));
      show(code);
    });
    S.$("#m-show", form).addEventListener("click", () => show(form.code.value.trim().toUpperCase()));
    root.append(form, out);
  }

  // ---- change requests of company data (seed 000 第十三条) ----
  const CHANGE_FIELDS = [["name", "单位名称"], ["address", "住所"], ["legal_representative_name", "法定代表人"], ["contact", "联系人"]];
  const contactText = (c) => (c ? c.name + "，" + c.phone + (c.email ? "，" + c.email : "") : "");
  const fieldText = (key, v) => (key === "contact" ? contactText(v) : v);

  async function changes() {
    S.$("h1").textContent = "变更申请";
    const r = await S.api("GET", "/v1/changes");
    if (!r.ok) { root.append(S.problem(r, "无法加载：")); return; }
    const list = r.data.changes;
    root.append(h("p", {}, "待审核的单位信息变更（" + list.length + (r.data.more ? "+，先处理最早的" : "") + "）。批准后，单位登记信息和其有效证书随之更新，证书重新生成。"));
    if (!list.length) root.append(h("p", { class: "muted" }, "暂无待审核的变更申请。"));
    // The companies' records as registered, all at once (one round trip).
    const orgs = await Promise.all(list.map((c) => S.api("GET", path("organizations", c.org))));
    for (const [n, c] of list.entries()) {
      const now = orgs[n].ok ? orgs[n].data : {};
      const current = { name: now.name, address: now.address, legal_representative_name: now.legal_representative && now.legal_representative.name, contact: now.contact };
      const rows = CHANGE_FIELDS.filter(([k]) => c.changes[k] !== undefined && c.changes[k] !== null).map(([k, label]) =>
        h("tr", {}, h("th", { scope: "row" }, label), h("td", {}, fieldText(k, current[k]) || "—"), h("td", {}, fieldText(k, c.changes[k]))));
      const id = "chg-" + c.id;
      const form = decisionForm(id, { legend: "审核决定", yes: "批准变更", no: "不予批准", note: "审核意见", max: 500, button: "提交审核决定" });
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        const body = decision(form), approve = body.approve;
        const what = rows.map((tr) => tr.cells[0].textContent + "：" + tr.cells[2].textContent).join("\n");
        if (!window.confirm((approve ? "确认批准 " : "确认不予批准 ") + (now.name || c.org) + " 的以下变更？" + (approve ? "其有效证书将随之更新并重新生成。" : "") + "\n" + what)) return;
        const d = await S.api("POST", path("changes", c.id, "decision"), body);
        if (!d.ok) { msg(S.problem(d, "未能提交：")); return; }
        msg(S.ok(approve ? "已批准变更，单位信息和证书已更新。" : "已不予批准，申请单位可在其账户中查看。"));
        S.clear(root);
        changes();
      });
      root.append(h("div", { class: "card", "data-change": c.id },
        h("h2", {}, h("a", { href: "/companies/" + encodeURIComponent(c.org) }, now.name || c.org)),
        S.fields([["统一社会信用代码", h("span", { class: "code" }, c.org)], ["申请时间", S.time(c.requested_at)], ["变更理由", c.reason],
          ["证明文件", (c.documents || []).length ? c.documents.join("；") : "未列出"]]),
        h("div", { class: "table-wrap" }, h("table", { class: "lines" }, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "项目"), h("th", { scope: "col" }, "现登记"), h("th", { scope: "col" }, "申请变更为"))), h("tbody", {}, rows))),
        form));
    }
  }

  // ---- certificates: find one, see its state, revoke it (seed 000 第二十二、二十三条) ----
  function certificates() {
    S.$("h1").textContent = "证书管理";
    const out = h("div", { id: "certificate-admin", "aria-live": "polite" });
    const form = h("form", { class: "stack card", id: "certificate-find" }, h("h2", {}, "查找证书"),
      h("label", { for: "c-q" }, "证书编号或单位统一社会信用代码"), h("input", { id: "c-q", name: "q", required: true, maxlength: 64, class: "code" }),
      h("div", {}, h("button", { type: "submit" }, "查找")));
    async function find(q) {
      S.clear(out);
      q = q.trim().toUpperCase();
      let list;
      if (/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(q)) {
        const r = await S.api("GET", path("organizations", q, "certificates"));
        if (!r.ok) { out.append(S.problem(r, "无法查找：")); return; }
        list = r.data.certificates;
      } else {
        const r = await S.api("GET", path("certificates", q));
        if (!r.ok) { out.append(S.problem(r, "无法查找：")); return; }
        list = [r.data];
      }
      if (!list.length) { out.append(h("p", {}, "该单位没有证书。")); return; }
      for (const c of list) out.append(await certificateCard(c, () => find(q)));
    }
    form.addEventListener("submit", (e) => { e.preventDefault(); history.replaceState(null, "", "/console?view=certificates&q=" + encodeURIComponent(form.q.value.trim())); find(form.q.value); });
    root.append(form, out);
    if (S.param("q")) { form.q.value = S.param("q"); find(S.param("q")); }
  }

  const grounds = {};
  async function groundsOf(scheme) {
    if (!grounds[scheme]) {
      const r = await S.api("GET", path("schemes", scheme));
      grounds[scheme] = (r.ok && r.data.definition.revocation_grounds) || [];
    }
    return grounds[scheme];
  }

  async function certificateCard(c, refresh) {
    const kind = c.status === "valid" ? "ok" : c.status === "revoked" ? "bad" : "";
    const card = h("div", { class: "card", "data-serial": c.serial },
      h("h2", {}, c.title + " " + (c.level_label || "")),
      S.fields([["证书编号", h("span", { class: "code" }, c.serial)], ["状态", S.status(c.status_label || c.status, kind)], ["持证单位", c.company_name],
        ["发证机构", c.authority_name], ["发证日期", c.issued_on], ["有效期至", S.until(c.valid_until)], ["撤销日期", c.revoked_on], ["撤销事由", c.revocation_ground],
        ["查验页", h("a", { href: "/certificates/" + encodeURIComponent(c.serial) }, "公开查验页")]]));
    if (c.status !== "valid") return card;
    const list = await groundsOf(c.scheme);
    if (!list.length) return card;
    const id = "rv-" + c.serial;
    const form = h("form", { class: "stack", id },
      h("h3", {}, "撤销证书"),
      h("label", { for: id + "-ground" }, "撤销事由"),
      h("select", { id: id + "-ground", name: "ground", required: true }, h("option", { value: "" }, "请选择"),
        list.map((g) => h("option", { value: g.code }, g.title_zh + "（" + ((g.seed && g.seed.article) || "") + "）"))),
      h("label", { for: id + "-reason" }, "事实和理由（记入档案，不公开）"), h("textarea", { id: id + "-reason", name: "reason", required: true, maxlength: 500 }),
      h("div", {}, h("button", { type: "submit", class: "danger" }, "撤销此证书")));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const ground = list.find((g) => g.code === form.ground.value);
      if (!window.confirm("确认撤销证书 " + c.serial + "（" + c.company_name + "）？\n事由：" + (ground ? ground.title_zh : "") + "\n撤销后证书即失效，公开查验页显示已撤销，该单位在办法规定的期限内不得重新申请。此操作不能撤回。")) return;
      const r = await S.api("POST", path("certificates", c.serial, "revoke"), { ground: form.ground.value, reason: form.reason.value.trim(), version: c.version });
      if (!r.ok) { msg(S.problem(r, "未能撤销：")); return; }
      msg(S.ok("证书 " + c.serial + " 已撤销；该单位自 " + r.data.may_reapply_from + " 起方可重新申请。"));
      refresh();
    });
    card.append(form);
    return card;
  }

  // ---- the credit register of fire-technology service agencies (seed 002) ----
  const lines = (text) => text.split("\n").map((x) => x.trim()).filter(Boolean);
  async function credit() {
    S.$("h1").textContent = "信用档案";
    const scheme = await S.api("GET", path("schemes", "fire-credit"));
    const conduct = (scheme.ok && scheme.data.definition.credit.conduct) || [];
    const result = h("div", { id: "credit-result", "aria-live": "polite" });
    const showFile = (code) => { S.clear(result); result.append(h("p", {}, h("a", { href: "/companies/" + encodeURIComponent(code) }, "查看该单位的公开信用信息"))); };

    const enrol = h("form", { class: "stack card", id: "credit-enrol" }, h("h2", {}, "纳入信用档案（一（二））"),
      h("label", { for: "ce-code" }, "单位统一社会信用代码"), h("input", { id: "ce-code", name: "code", required: true, maxlength: 18, class: "code" }),
      h("label", { for: "ce-area" }, "办公场所面积（平方米）"), h("input", { id: "ce-area", name: "area", type: "number", min: 0, required: true }),
      h("label", { for: "ce-eng" }, "注册消防工程师人数"), h("input", { id: "ce-eng", name: "eng", type: "number", min: 0, required: true }),
      h("label", { for: "ce-ops" }, "消防设施操作员人数"), h("input", { id: "ce-ops", name: "ops", type: "number", min: 0, required: true }),
      h("label", {}, h("input", { type: "checkbox", name: "quality" }), " 建立质量管理体系"),
      h("div", {}, h("button", { type: "submit" }, "纳入档案")));
    enrol.addEventListener("submit", async (e) => {
      e.preventDefault();
      const code = enrol.code.value.trim().toUpperCase();
      if (!window.confirm("确认将 " + code + " 纳入消防技术服务机构信用档案？")) return;
      const r = await S.api("POST", path("credit", "agencies", code), { floor_area_m2: Number(enrol.area.value), registered_fire_engineers: Number(enrol.eng.value), facility_operators: Number(enrol.ops.value), quality_system: enrol.quality.checked });
      if (!r.ok) { msg(S.problem(r, "未能纳入：")); return; }
      msg(S.ok("已纳入信用档案：" + (r.data.company_name || code) + "，基础分 " + (r.data.score || "") ));
      showFile(code);
    });

    const record = h("form", { class: "stack card", id: "credit-event" }, h("h2", {}, "记录信用行为"),
      h("label", { for: "cv-code" }, "单位统一社会信用代码"), h("input", { id: "cv-code", name: "code", required: true, maxlength: 18, class: "code" }),
      h("label", { for: "cv-kind" }, "信用行为"), h("select", { id: "cv-kind", name: "kind", required: true }, h("option", { value: "" }, "请选择"),
        conduct.map((c) => h("option", { value: c.code }, (c.direction === "trustworthy" ? "守信 +" : "失信 −") + c.points + " 分：" + c.title_zh + "（" + c.seed.article + "）"))),
      h("label", { for: "cv-date" }, "行为发生日期"), h("input", { id: "cv-date", name: "date", type: "date", required: true }),
      h("label", { for: "cv-source" }, "信息来源（检查、投诉、表彰文件等）"), h("input", { id: "cv-source", name: "source", required: true, maxlength: 500 }),
      h("label", { for: "cv-evidence" }, "证据（每行一项）"), h("textarea", { id: "cv-evidence", name: "evidence", required: true }),
      h("div", {}, h("button", { type: "submit" }, "记录")));
    record.addEventListener("submit", async (e) => {
      e.preventDefault();
      const code = record.code.value.trim().toUpperCase();
      const kind = conduct.find((c) => c.code === record.kind.value);
      if (!window.confirm("确认为 " + code + " 记录“" + (kind ? kind.title_zh : "") + "”？信用分和等级随即变化并公开。")) return;
      const r = await S.api("POST", path("credit", "agencies", code, "events"), { code: record.kind.value, date: record.date.value, source: record.source.value.trim(), evidence: lines(record.evidence.value) });
      if (!r.ok) { msg(S.problem(r, "未能记录：")); return; }
      msg(S.ok("已记录。当前信用分 " + r.data.file.score + "，等级 " + (r.data.file.level_label || r.data.file.level_code || "") + (r.data.tasks.length ? "；生成监管事项 " + r.data.tasks.length + " 项" : "") + "。"));
      showFile(code);
      queues();
    });

    const box = h("div", { id: "credit-queues" });
    async function queues() {
      S.clear(box);
      const [repairs, tasks] = await Promise.all([S.api("GET", "/v1/credit/repairs"), S.api("GET", "/v1/credit/tasks")]);
      box.append(h("h2", {}, "待答复的信用修复申请（" + ((repairs.ok && repairs.data.repairs.length) || 0) + "）"));
      if (!repairs.ok) box.append(S.problem(repairs, "无法加载："));
      for (const x of (repairs.ok && repairs.data.repairs) || []) {
        const id = "rp-" + x.id;
        const form = decisionForm(id, { legend: "答复", yes: "同意修复", no: "不同意", note: "答复意见", button: "提交答复" });
        form.addEventListener("submit", async (e) => {
          e.preventDefault();
          const body = decision(form), approve = body.approve;
          if (!window.confirm((approve ? "同意" : "不同意") + " " + x.org + " 的信用修复申请？")) return;
          const d = await S.api("POST", path("credit", "agencies", x.org, "repairs", x.id, "decision"), body);
          if (!d.ok) { msg(S.problem(d, "未能答复：")); return; }
          msg(S.ok("已答复。" + (approve ? "该失信行为的扣分已恢复。" : "")));
          queues();
        });
        box.append(h("div", { class: "card", "data-repair": x.id }, S.fields([["单位", h("a", { href: "/companies/" + encodeURIComponent(x.org) }, x.org)], ["申请日期", x.filed_on],
          ["答复期限", S.status(x.answer_due_on + (x.overdue ? "（已逾期）" : ""), x.overdue ? "bad" : "")], ["修复说明", x.statement], ["证明材料", (x.evidence || []).join("；")]]), form));
      }
      box.append(h("h2", {}, "监管工作事项（" + ((tasks.ok && tasks.data.tasks.length) || 0) + "）"));
      if (!tasks.ok) box.append(S.problem(tasks, "无法加载："));
      for (const t of ((tasks.ok && tasks.data.tasks) || []).slice(0, 50)) {
        const id = "tk-" + t.id.replace(/[^A-Za-z0-9-]/g, "-");
        const form = h("form", { class: "stack", id }, h("label", { for: id + "-r" }, "办理结果"), h("textarea", { id: id + "-r", name: "result", required: true, maxlength: 2000 }),
          h("div", {}, h("button", { type: "submit", class: "secondary" }, "办结")));
        form.addEventListener("submit", async (e) => {
          e.preventDefault();
          if (!window.confirm("办结“" + t.title_zh + "”（" + t.company_name + "）？")) return;
          const d = await S.api("POST", path("credit", "agencies", t.org, "tasks", t.id, "result"), { result: form.result.value.trim() });
          if (!d.ok) { msg(S.problem(d, "未能办结：")); return; }
          msg(S.ok("已办结。"));
          queues();
        });
        box.append(h("div", { class: "card", "data-task": t.id }, S.fields([["事项", t.title_zh + "（" + t.article + "）"], ["单位", t.company_name],
          ["期限", t.due_on ? S.status(t.due_on + (t.overdue ? "（已逾期）" : ""), t.overdue ? "bad" : "") : "未定"]]), form));
      }
    }
    root.append(enrol, record, result, box);
    queues();
  }

  // ---- alarm operators' suspensions and closures (seed 004 二（三）3): the city
  // department reviews, the regional department approves and files ----
  const SUSP_KIND = { suspension: "歇业", closure: "停业" };
  async function suspensions() {
    S.$("h1").textContent = "歇业、停业申请";
    const r = await S.api("GET", "/v1/suspensions");
    if (!r.ok) { root.append(S.problem(r, "无法加载：")); return; }
    const list = r.data.suspensions || [];
    root.append(h("p", {}, "待本机关审查或核准的报警运营服务企业歇业、停业申请（" + list.length + "）。盟市技防管理部门审查后报自治区公安厅技防管理部门核准备案；不予准许的须说明理由。"));
    if (!list.length) root.append(h("p", { class: "muted" }, "暂无。"));
    for (const x of list) {
      const city = x.status === "awaiting_city";
      const id = "su-" + x.id;
      const form = decisionForm(id, {
        extra: city ? h("fieldset", { class: "stack" }, h("legend", {}, "审查要点"),
          h("label", {}, h("input", { type: "checkbox", name: "holds" }), " 歇业、停业理由成立"),
          h("label", {}, h("input", { type: "checkbox", name: "plans" }), " 对客户的服务处理方案和赔偿方案合理")) : null,
        legend: city ? "审查结论" : "核准决定", yes: city ? "审查通过，报自治区核准" : "核准备案", no: "不予准许",
        note: "理由（不予准许的必填）", max: 2000, button: "提交" });
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        const body = decision(form, "reasons"), approve = body.approve;
        if (city) { body.reason_holds = form.holds.checked; body.plans_reasonable = form.plans.checked; }
        if (!window.confirm((approve ? (city ? "审查通过并报自治区核准" : "核准备案") : "不予准许") + "：" + x.company_name + " 的" + SUSP_KIND[x.kind] + "申请？")) return;
        const d = await S.api("POST", path("suspensions", x.id, "decision"), body);
        if (!d.ok) { msg(S.problem(d, "未能提交：")); return; }
        msg(S.ok(approve ? (city ? "已审查通过，报自治区公安厅技防管理部门核准。" : "已核准备案，将在公开名单中公布。") : "已不予准许，理由已告知企业。"));
        S.clear(root);
        suspensions();
      });
      root.append(h("div", { class: "card", "data-suspension": x.id }, h("h2", {}, x.company_name + "：" + SUSP_KIND[x.kind] + "申请"),
        S.fields([["统一社会信用代码", h("span", { class: "code" }, x.org)], ["受理机关", x.city_name], ["申请日期", x.filed_on],
          [SUSP_KIND[x.kind] + "日期", x.starts_on + (x.ends_on ? " 至 " + x.ends_on : " 起")], ["原因", x.reason],
          ["客户服务处理方案", x.customer_plan], ["赔偿方案", x.compensation_plan],
          ["盟市审查", x.city_review ? (x.city_review.approved ? "通过" : "不予准许") + "（" + S.time(x.city_review.at) + "）" + (x.city_review.reasons ? "：" + x.city_review.reasons : "") : null]]),
        form));
    }
  }

  // ---- annual awards (seed 001 五): the association's expert records and panels; the
  // experts score their panel's nominees; ranking, notice, objections, results ----
  const PANEL_STATUS = { scoring: "评分中", ranked: "已排名", on_notice: "公示中", published: "已发布" };
  async function awards() {
    S.$("h1").textContent = "年度评优";
    const r = await S.api("GET", path("schemes", "annual-awards"));
    if (!r.ok) { root.append(S.problem(r, "当前没有生效的评优实施细则：")); return; }
    const edition = r.data.version;
    const categories = (r.data.definition.groups || []).filter((g) => g.role === "category");
    const expert = h("form", { class: "stack card", id: "expert-form" }, h("h2", {}, "专家记录"),
      h("p", { class: "hint" }, "评审专家以其账号登录评分；所在单位由协会记录，回避规则据此判断。"),
      h("label", { for: "ex-subject" }, "专家账号"), h("input", { id: "ex-subject", name: "subject", required: true, maxlength: 64, class: "code" }),
      h("label", { for: "ex-name" }, "姓名"), h("input", { id: "ex-name", name: "name", required: true, maxlength: 40 }),
      h("label", { for: "ex-org" }, "工作单位的统一社会信用代码（选填）"), h("input", { id: "ex-org", name: "org", maxlength: 18, class: "code" }),
      h("div", {}, h("button", { type: "submit" }, "保存专家记录")));
    expert.addEventListener("submit", async (e) => {
      e.preventDefault();
      const body = { name: expert.name.value.trim() };
      if (expert.org.value.trim()) body.org = expert.org.value.trim().toUpperCase();
      const d = await S.api("PUT", path("experts", expert.subject.value.trim()), body);
      if (!d.ok) { msg(S.problem(d, "未能保存：")); return; }
      msg(S.ok("已保存专家记录：" + body.name));
      expert.reset();
    });
    const panel = h("form", { class: "stack card", id: "panel-form" }, h("h2", {}, "组建评审组（" + edition + " 年度）"),
      h("label", { for: "pn-category" }, "奖项"), h("select", { id: "pn-category", name: "category" }, categories.map((g) => h("option", { value: g.id }, g.title_zh))),
      h("label", { for: "pn-experts" }, "评审专家账号（每行一个）"), h("textarea", { id: "pn-experts", name: "experts", required: true }),
      h("div", {}, h("button", { type: "submit" }, "组建评审组")));
    panel.addEventListener("submit", async (e) => {
      e.preventDefault();
      const id = edition + "-" + panel.category.value;
      const experts = lines(panel.experts.value);
      if (!window.confirm("以 " + experts.length + " 位专家组建“" + panel.category.selectedOptions[0].textContent + "”评审组？已入围的推荐将全部列入。")) return;
      const d = await S.api("POST", path("awards", "panels", id), { experts });
      if (!d.ok) { msg(S.problem(d, "未能组建：")); return; }
      location.assign("/console?view=panel&id=" + encodeURIComponent(id));
    });
    const open = h("form", { class: "row card", id: "panel-open" }, h("label", { for: "po-id" }, "评审组编号"),
      h("input", { id: "po-id", name: "id", required: true, placeholder: edition + "-c6", class: "code" }), h("button", { type: "submit", class: "secondary" }, "打开"));
    open.addEventListener("submit", (e) => { e.preventDefault(); location.assign("/console?view=panel&id=" + encodeURIComponent(open.id.value.trim())); });
    root.append(open, panel, expert);
  }

  async function panelPage(id) {
    const r = await S.api("GET", path("awards", "panels", id));
    if (!r.ok) { root.append(S.problem(r, "无法打开评审组：")); return; }
    const who = (n) => (n.nominee_name ? n.nominee_name + "（" + n.company_name + "）" : n.company_name);
    if (me.role === "expert") {
      const p = r.data.panel;
      // The highest score is the edition's data (score_max); the route checks it too.
      const sc = await S.api("GET", path("schemes", "annual-awards"));
      const max = sc.ok && sc.data.definition.parameters.score_max ? Number(sc.data.definition.parameters.score_max.value) : null;
      S.$("h1").textContent = "评审：" + p.category_title_zh;
      root.append(h("p", {}, "评审组 " + p.id + "，" + (PANEL_STATUS[p.status] || p.status) + "。每位被推荐对象只能评分一次（" + (max ? "0 至 " + max + " 分，" : "") + "最多两位小数）；评分后可见其他专家的评分。"));
      for (const n of r.data.nominees) {
        const card = h("div", { class: "card", "data-nominee": n.application }, h("h2", {}, who(n)));
        if (n.recused) card.append(h("p", { class: "muted" }, "您须回避：" + n.recused));
        else if (n.my_score !== null && n.my_score !== undefined) card.append(S.fields([["我的评分", n.my_score], ["其他专家的评分", (n.other_scores || []).join("、") || "尚无"]]));
        else if (p.status === "scoring") {
          const fid = "sc-" + n.application;
          const f = h("form", { class: "row", id: fid }, h("label", { for: fid + "-v" }, "评分"), h("input", { id: fid + "-v", name: "score", type: "number", min: 0, max, step: "0.01", required: true }), h("button", { type: "submit" }, "提交评分"));
          f.addEventListener("submit", async (e) => {
            e.preventDefault();
            if (!window.confirm("给 " + who(n) + " 评 " + f.score.value + " 分？提交后不能修改。")) return;
            const d = await S.api("PUT", path("awards", "panels", id, "scores", n.application), { score: Number(f.score.value) });
            if (!d.ok) { msg(S.problem(d, "未能提交：")); return; }
            msg(S.ok("已评分：" + who(n)));
            S.clear(root);
            panelPage(id);
          });
          card.append(f);
        }
        root.append(card);
      }
      return;
    }
    const { panel: p, scores, objections } = r.data;
    S.$("h1").textContent = "评审组：" + p.category_title_zh;
    root.append(h("p", {}, h("a", { href: "/console?view=awards" }, "← 年度评优")),
      h("div", { class: "card" }, S.fields([["编号", h("span", { class: "code" }, p.id)], ["状态", S.status(PANEL_STATUS[p.status] || p.status)],
        ["评审专家", p.members.map((m) => m.name + "（" + (m.org || "单位未记录") + "）").join("、")], ["排名规则", p.rule_zh],
        ["公示期", p.notice ? p.notice.starts_on + " 至 " + p.notice.ends_on : null], ["公示页", p.notice ? h("a", { href: "/awards/" + encodeURIComponent(p.id) }, "查看公示") : null]])));
    const scored = (a) => scores.filter((x) => x.application === a);
    root.append(h("h2", {}, "被推荐对象（" + p.nominees.length + "）"), h("div", { class: "table-wrap" }, h("table", { class: "lines", id: "panel-nominees" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "单位或个人"), h("th", { scope: "col" }, "回避"), h("th", { scope: "col" }, "评分"), h("th", { scope: "col" }, "排名"))),
      h("tbody", {}, p.nominees.map((n) => {
        const rank = (p.ranking || []).find((x) => x.application === n.application);
        return h("tr", {}, h("td", {}, who(n)), h("td", {}, n.recused.map((x) => x.expert + "：" + x.reason).join("；") || "—"),
          h("td", {}, scored(n.application).map((x) => x.score).join("、") || "尚无"),
          h("td", {}, rank ? "第 " + rank.rank + " 名，" + rank.aggregate + " 分" + (rank.proposed ? "（拟获奖）" : "") : "—"));
      })))));
    const act = async (what, route, body, done) => {
      if (!window.confirm(what + "？")) return;
      const d = await S.api("POST", path("awards", "panels", id, route), body);
      if (!d.ok) { msg(S.problem(d, "未能完成：")); return; }
      msg(S.ok(done));
      S.clear(root);
      panelPage(id);
    };
    if (p.status === "scoring") {
      const b = h("button", { type: "button", id: "panel-rank" }, "结束评分并排名");
      b.addEventListener("click", () => act("结束评分并按细则排名", "ranking", {}, "已排名。"));
      root.append(h("p", {}, b));
    } else if (p.status === "ranked") {
      const b = h("button", { type: "button", id: "panel-notice" }, "公示拟获奖名单");
      b.addEventListener("click", () => act("公示拟获奖名单（" + (p.ranking || []).filter((x) => x.proposed).length + " 个）", "notice", {}, "已公示。"));
      root.append(h("p", {}, b));
    } else if (p.status === "on_notice") {
      const box = h("form", { class: "stack card", id: "panel-publish" }, h("h2", {}, "异议与发布（" + objections.length + " 条异议）"));
      objections.forEach((o, i) => box.append(h("fieldset", { class: "stack", "data-objection": o.id }, h("legend", {}, o.name + "（" + o.contact + "）：" + o.text),
        h("label", {}, h("input", { type: "checkbox", name: "upheld-" + i }), " 异议成立（撤销该拟获奖对象）"),
        h("label", { for: "ob-" + i }, "处理理由"), h("input", { id: "ob-" + i, name: "reason-" + i, required: true, maxlength: 1000 }))));
      box.append(h("div", {}, h("button", { type: "submit" }, "发布评选结果")));
      box.addEventListener("submit", (e) => {
        e.preventDefault();
        const decided = objections.map((o, i) => ({ id: o.id, upheld: box["upheld-" + i].checked, reason: box["reason-" + i].value.trim() }));
        act("发布评选结果并颁发荣誉证书", "results", { objections: decided }, "结果已发布，荣誉证书已颁发。");
      });
      root.append(box);
    } else if (p.status === "published") {
      root.append(h("h2", {}, "获奖名单"), h("ul", { id: "panel-winners" }, (p.certificates || []).map(([app, serial]) => {
        const n = p.nominees.find((x) => x.application === app);
        return h("li", {}, (n ? who(n) : app) + "　", h("a", { href: "/certificates/" + encodeURIComponent(serial) }, serial));
      })));
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    me = S.requireRole(["staff", "expert"]);
    if (!me) return;
    root = S.clear(S.$("#console"));
    // An expert sees only the panels they are on.
    if (me.role === "expert") {
      S.$("nav.row").hidden = true;
      if (S.param("view") === "panel" && S.param("id")) { panelPage(S.param("id")); return; }
      S.$("h1").textContent = "评审";
      const f = h("form", { class: "row card", id: "panel-open" }, h("label", { for: "po-id" }, "评审组编号（协会告知）"),
        h("input", { id: "po-id", name: "id", required: true, class: "code" }), h("button", { type: "submit" }, "打开"));
      f.addEventListener("submit", (e) => { e.preventDefault(); location.assign("/console?view=panel&id=" + encodeURIComponent(f.id.value.trim())); });
      root.append(f);
      return;
    }
    if (S.param("app")) application(S.param("app"));
    else if (S.param("view") === "memberships") memberships();
    else if (S.param("view") === "changes") changes();
    else if (S.param("view") === "certificates") certificates();
    else if (S.param("view") === "credit") credit();
    else if (S.param("view") === "suspensions") suspensions();
    else if (S.param("view") === "awards") awards();
    else if (S.param("view") === "panel" && S.param("id")) panelPage(S.param("id"));
    else queue();
  });
})();
