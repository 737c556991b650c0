//! Materials: announced (type, size, what they prove), then uploaded by presigned PUT.

use super::*;

/// Announce a material: checks its type and size and makes its object key. The
/// handler then hands out a presigned PUT URL bound to that key, type and size.
pub fn add_material(
    app: &Application,
    body: &Value,
    caller: &Principal,
    registry: &Registry,
    now: DateTime<Utc>,
) -> Result<(Application, Material, AuditEvent), Problem> {
    caller.holder_or_staff_of(&app.org, &app.authority)?;
    app.require(ApplicationStatus::Draft, "上传材料")?;
    let mut errors = Errors::default();
    let root = Reader::root(body, &mut errors);
    root.deny_unknown(
        &["evidence_for", "file_name", "content_type", "size_bytes"],
        &mut errors,
    );
    let evidence_for = root.text("evidence_for", 1, 100, &mut errors);
    let file_name = root.text("file_name", 1, MAX_FILE_NAME_CHARS, &mut errors);
    let content_type = root
        .text("content_type", 1, 100, &mut errors)
        .to_ascii_lowercase();
    let size = match root.value("size_bytes") {
        None => {
            errors.push("size_bytes", "必填字段缺失");
            None
        }
        Some(Value::Number(n)) => n.as_u64(),
        Some(_) => {
            errors.push("size_bytes", "应为文件的字节数（正整数）");
            None
        }
    };
    errors.finish(|| ())?;
    if file_name.contains(['/', '\\']) {
        return Err(invalid("file_name", "文件名不能包含路径分隔符"));
    }
    let Some(ext) = MATERIAL_TYPES
        .iter()
        .find(|(t, _)| *t == content_type)
        .map(|(_, e)| *e)
    else {
        return Err(Problem::field(
            ProblemKind::UnsupportedMediaType,
            "content_type",
            "材料仅接受 PDF、JPEG、PNG 文件",
        ));
    };
    let size = match size {
        Some(s) if s > 0 && s <= MAX_MATERIAL_BYTES => s,
        Some(s) if s > MAX_MATERIAL_BYTES => {
            return Err(Problem::field(
                ProblemKind::PayloadTooLarge,
                "size_bytes",
                format!("单个材料不得超过 {} MB", MAX_MATERIAL_BYTES / 1024 / 1024),
            ));
        }
        _ => return Err(invalid("size_bytes", "应为文件的字节数（正整数）")),
    };
    let scheme = registry
        .in_force(app.scheme, china_date(now))
        .map_err(|_| Problem::internal())?;
    let def = declaration::application_def(scheme, app.kind)?;
    let known = scheme
        .fact_keys()
        .iter()
        .any(|(k, _, _)| *k == evidence_for)
        || def
            .sections
            .iter()
            .any(|s| !s.evidence.is_empty() && s.id.as_str() == evidence_for)
        || scheme.points.iter().any(|p| {
            p.areas
                .iter()
                .any(|a| a.items.iter().any(|i| i.id == evidence_for))
        })
        // An item of the entered category's checklist, "c3.m7" (seed 001 附件三).
        || app.category.as_deref().is_some_and(|c| {
            evidence_for.split_once('.').is_some_and(|(g, m)| {
                g == c
                    && scheme
                        .groups
                        .iter()
                        .any(|x| x.id == c && x.materials.iter().any(|y| y.id == m))
            })
        });
    if !known {
        return Err(invalid(
            "evidence_for",
            format!("评定办法中没有申报事项、积分项或申报部分“{evidence_for}”"),
        ));
    }
    if app.materials.len() >= MAX_MATERIALS {
        return Err(conflict(
            "materials",
            format!("每份申请最多 {MAX_MATERIALS} 份材料"),
        ));
    }
    let id = RecordId::new_at(now);
    let material = Material {
        key: format!("applications/{}/{}.{ext}", app.id, id),
        id,
        evidence_for,
        file_name,
        content_type,
        size_bytes: size,
        created_at: now,
    };
    let mut next = app.clone();
    next.materials.push(material.clone());
    next.version += 1;
    next.updated_at = now;
    let audit = next.audit(Some(app), Actor::from(caller), "application.material_added");
    Ok((next, material, audit))
}

/// Remove a material from a draft: the company changed its mind, or uploaded the wrong
/// file. It leaves the list of materials and every evidence list that named it (facts,
/// point items, rosters, projects), in one new version with its audit event; the
/// handler then deletes the object. Only a draft's materials can be removed: once
/// submitted they are part of the record the review and the staff read.
pub fn remove_material(
    app: &Application,
    material: &str,
    caller: &Principal,
    now: DateTime<Utc>,
) -> Result<(Application, Material, AuditEvent), Problem> {
    caller.holder_or_staff_of(&app.org, &app.authority)?;
    let Some(found) = app
        .materials
        .iter()
        .find(|m| m.id.to_string() == material)
        .cloned()
    else {
        return Err(Problem::not_found(format!(
            "该申请没有编号为 {material} 的材料"
        )));
    };
    app.require(ApplicationStatus::Draft, "删除材料")?;
    let mut next = app.clone();
    next.materials.retain(|m| m.id != found.id);
    let drop = |evidence: &mut Vec<String>| evidence.retain(|e| *e != material);
    for fact in next.facts.values_mut() {
        drop(&mut fact.evidence);
    }
    for item in &mut next.items {
        drop(&mut item.evidence);
    }
    if let Some(r) = next.staff.as_mut() {
        drop(&mut r.evidence);
    }
    if let Some(r) = next.clients.as_mut() {
        drop(&mut r.evidence);
    }
    if let Some(r) = next.projects.as_mut() {
        drop(&mut r.evidence);
        for p in &mut r.entries {
            drop(&mut p.evidence);
        }
    }
    next.version += 1;
    next.updated_at = now;
    let audit = next.audit(
        Some(app),
        Actor::from(caller),
        "application.material_removed",
    );
    Ok((next, found, audit))
}
