//! A new draft: the scheme and kind it is for, the company, the authority that decides.

use super::*;

/// The company a new application is for, as the body names it (`company`, optional:
/// staff applying on a company's behalf). A wrong type is refused, never ignored.
pub fn requested_company(body: &Value) -> Result<Option<String>, Problem> {
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    let company = root.optional_text("company", 1, 64, &mut errors);
    errors.finish(|| company)
}

/// Create a draft. `certificate` is the holder's certificate named by an annual report.
pub fn create(
    body: &Value,
    caller: &Principal,
    org: &Organization,
    certificate: Option<&CertificateRecord>,
    registry: &Registry,
    now: DateTime<Utc>,
) -> Result<(Application, AuditEvent), Problem> {
    let today = china_date(now);
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    root.deny_unknown(
        &[
            "scheme",
            "kind",
            "certificate",
            "company",
            "level",
            "authority",
            "category",
            "nominee",
        ],
        &mut errors,
    );
    let scheme_text = root.text("scheme", 1, 64, &mut errors);
    let kind_text = root
        .optional_text("kind", 1, 32, &mut errors)
        .unwrap_or_else(|| "initial".to_owned());
    let serial = root.optional_text("certificate", 1, 64, &mut errors);
    let level = root.optional_text("level", 1, 16, &mut errors);
    let named_authority = root.optional_text("authority", 1, 64, &mut errors);
    let category = root.optional_text("category", 1, 32, &mut errors);
    let nominee = root
        .object_if_present("nominee", &mut errors)
        .and_then(|n| {
            n.deny_unknown(&["name", "id_number", "position"], &mut errors);
            let name = n.text("name", 1, 40, &mut errors);
            let position = n.optional_text("position", 1, 40, &mut errors);
            let id_text = n.text("id_number", 1, 32, &mut errors);
            match crate::ids::PersonIdNumber::parse(&id_text) {
                Ok(id) => Some(Nominee {
                    name,
                    id_number_masked: id.masked(),
                    position,
                }),
                Err(err) => {
                    if !id_text.is_empty() {
                        errors.push(
                            n.path_of("id_number"),
                            format!("公民身份号码无效（GB 11643）：{err}"),
                        );
                    }
                    None
                }
            }
        });
    errors.finish(|| ())?;
    let scheme_id = SchemeId::from_str(&scheme_text)
        .map_err(|_| invalid("scheme", format!("没有评定项目“{scheme_text}”")))?;
    let scheme = registry
        .in_force(scheme_id, today)
        .map_err(|e| invalid("scheme", format!("{e}：今天没有生效的评定办法版本")))?;
    let kind = declaration::parse_kind(&kind_text)?;
    let def = declaration::application_def(scheme, kind)?;
    let level_sought = match (def.asks_level, level) {
        (false, None) => None,
        (false, Some(_)) => {
            return Err(invalid("level", format!("“{}”不申报级别", def.title_zh)));
        }
        (true, None) => {
            return Err(invalid(
                "level",
                format!("请填写申请的级别（{}）", level_codes(scheme)),
            ));
        }
        (true, Some(l)) if scheme.levels.iter().any(|x| x.code == l) => Some(l),
        (true, Some(l)) => {
            return Err(invalid(
                "level",
                format!("没有级别“{l}”（可选：{}）", level_codes(scheme)),
            ));
        }
    };
    let (category, nominee) = nomination(scheme, category, nominee)?;
    // The authority that decides: the scheme's own, or the local one the applicant names
    // (属地管理: the alarm operators' city departments).
    let authority = match (def.local_authority, named_authority) {
        (false, None) => scheme
            .authority_id()
            .map_err(|_| Problem::internal())?
            .to_owned(),
        (false, Some(_)) => {
            return Err(invalid(
                "authority",
                format!(
                    "“{}”由{}受理，不需选择受理机关",
                    def.title_zh, scheme.scheme.authority_zh
                ),
            ));
        }
        (true, named) => {
            let cities = scheme.city_authorities().map_err(|_| Problem::internal())?;
            let list = || {
                cities
                    .iter()
                    .map(|(id, name)| format!("{id}（{name}）"))
                    .collect::<Vec<_>>()
                    .join("、")
            };
            match named {
                Some(a) => match cities.iter().find(|(id, _)| *id == a) {
                    Some((id, _)) => (*id).to_owned(),
                    None => {
                        return Err(invalid(
                            "authority",
                            format!("受理机关应为当地盟市公安技防管理部门之一：{}", list()),
                        ));
                    }
                },
                None => {
                    return Err(invalid(
                        "authority",
                        format!("请选择受理机关（当地盟市公安技防管理部门）：{}", list()),
                    ));
                }
            }
        }
    };
    // Staff start drafts only in their own authority's schemes.
    caller.holder_or_staff_of(&org.code, &authority)?;
    let certificate_serial = match kind {
        ApplicationKind::Initial => {
            if serial.is_some() {
                return Err(invalid("certificate", "首次申请不应填写证书编号"));
            }
            None
        }
        ApplicationKind::AnnualReport => {
            let Some(serial) = serial else {
                return Err(invalid("certificate", "年报须填写所持证书编号"));
            };
            match certificate {
                Some(c)
                    if c.serial == serial
                        && c.org == org.code
                        && c.scheme == scheme_id.as_str()
                        && c.status_on(today) == CertificateStatus::Valid => {}
                Some(c)
                    if c.serial == serial
                        && c.org == org.code
                        && c.scheme == scheme_id.as_str() =>
                {
                    return Err(conflict(
                        "certificate",
                        format!(
                            "证书 {serial} 当前状态为“{}”，不能年报，请重新申请",
                            c.status_on(today).label_zh()
                        ),
                    ));
                }
                _ => {
                    return Err(invalid(
                        "certificate",
                        format!(
                            "本单位没有编号为 {serial} 的{}",
                            scheme.certificate_title().unwrap_or("证书")
                        ),
                    ));
                }
            }
            Some(serial)
        }
    };
    let actor = Actor::from(caller);
    let app = Application {
        id: RecordId::new_at(now),
        scheme: scheme_id,
        kind,
        org: org.code.clone(),
        company_name: org.name.clone(),
        company_address: Some(org.address.clone()),
        authority: authority.to_owned(),
        level_sought,
        certificate_serial,
        status: ApplicationStatus::Draft,
        facts: BTreeMap::new(),
        items: Vec::new(),
        staff: None,
        clients: None,
        projects: None,
        edition: category.as_ref().map(|_| scheme.scheme.version.clone()),
        category,
        nominee,
        materials: Vec::new(),
        checks: BTreeMap::new(),
        pending_checks: Vec::new(),
        submitted_at: None,
        result: None,
        findings: Vec::new(),
        notice_id: None,
        history: vec![StatusChange {
            at: now,
            status: ApplicationStatus::Draft,
            actor: actor.clone(),
            note: None,
        }],
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let audit = app.audit(None, actor, "application.created");
    Ok((app, audit))
}

/// "Copy into a new draft" (issue 15): a rejected application's declaration (facts,
/// point items, staff and client lists) in a new draft of the same scheme, kind, level
/// and authority, created by [`create`]'s own rules under the version in force today.
/// The evidence references are left behind: the materials belong to the rejected
/// application, and the new draft's are uploaded again (its form lists them as missing).
pub fn copy_rejected(
    from: &Application,
    caller: &Principal,
    org: &Organization,
    certificate: Option<&CertificateRecord>,
    registry: &Registry,
    now: DateTime<Utc>,
) -> Result<(Application, AuditEvent), Problem> {
    if from.status != ApplicationStatus::Rejected {
        return Err(conflict(
            "status",
            format!(
                "只有未通过的申请可以复制为新草稿（此申请为“{}”）",
                from.status.label_zh()
            ),
        ));
    }
    let mut body = serde_json::json!({"scheme": from.scheme.as_str(), "kind": from.kind.as_str()});
    if let Some(level) = &from.level_sought {
        body["level"] = level.as_str().into();
    }
    if let Some(serial) = &from.certificate_serial {
        body["certificate"] = serial.as_str().into();
    }
    let today = china_date(now);
    if let Ok(scheme) = registry.in_force(from.scheme, today)
        && declaration::application_def(scheme, from.kind).is_ok_and(|d| d.local_authority)
    {
        body["authority"] = from.authority.as_str().into();
    }
    let (mut app, _) = create(&body, caller, org, certificate, registry, now)?;
    app.facts = from
        .facts
        .iter()
        .map(|(k, f)| {
            let mut f = f.clone();
            f.evidence.clear();
            (k.clone(), f)
        })
        .collect();
    app.items = from
        .items
        .iter()
        .map(|i| {
            let mut i = i.clone();
            i.evidence.clear();
            i
        })
        .collect();
    app.staff = from.staff.clone().map(|mut r| {
        r.evidence.clear();
        r
    });
    app.clients = from.clients.clone().map(|mut r| {
        r.evidence.clear();
        r
    });
    if let Some(first) = app.history.first_mut() {
        first.note = Some(format!("复制自未通过的申请 {}", from.id));
    }
    let audit = app.audit(None, Actor::from(caller), "application.copied");
    Ok((app, audit))
}

/// The level codes of a scheme, lowest first, for messages.
fn level_codes(scheme: &Scheme) -> String {
    scheme
        .levels
        .iter()
        .rev()
        .map(|l| format!("{} {}", l.code, l.title_zh))
        .collect::<Vec<_>>()
        .join("、")
}

/// The category a nomination enters and the person it is for (seed 001 三: six unit
/// awards entered by the unit itself, three personal awards for a person the unit
/// nominates). Schemes without categories take neither.
fn nomination(
    scheme: &Scheme,
    category: Option<String>,
    nominee: Option<Nominee>,
) -> Result<(Option<String>, Option<Nominee>), Problem> {
    let categories: Vec<_> = scheme
        .groups
        .iter()
        .filter(|g| g.role == GroupRole::Category)
        .collect();
    let list = || {
        categories
            .iter()
            .map(|g| format!("{}（{}）", g.id, g.title_zh))
            .collect::<Vec<_>>()
            .join("、")
    };
    if categories.is_empty() {
        if category.is_some() {
            return Err(invalid("category", "本评定项目不分奖项"));
        }
        if nominee.is_some() {
            return Err(invalid("nominee", "本评定项目不申报个人"));
        }
        return Ok((None, None));
    }
    let Some(id) = category else {
        return Err(invalid("category", format!("请选择申报的奖项：{}", list())));
    };
    let Some(group) = categories.iter().find(|g| g.id == id) else {
        return Err(invalid(
            "category",
            format!("没有奖项“{id}”（可选：{}）", list()),
        ));
    };
    match (group.entrant, nominee) {
        (Some(standing_schemes::ApplicantKind::Person), None) => Err(invalid(
            "nominee",
            format!(
                "“{}”为个人奖项，请填写被推荐人的姓名和公民身份号码",
                group.title_zh
            ),
        )),
        (Some(standing_schemes::ApplicantKind::Person), Some(n)) => Ok((Some(id), Some(n))),
        (_, Some(_)) => Err(invalid(
            "nominee",
            format!(
                "“{}”为单位奖项，由单位自行申报，不填写被推荐人",
                group.title_zh
            ),
        )),
        (_, None) => Ok((Some(id), None)),
    }
}
