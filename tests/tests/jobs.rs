//! The job events kept in the repository (for `cargo lambda invoke --data-file`) and the
//! inputs of the schedules in the template are jobs the functions accept.

use standing_domain::dispatch::Job;

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
fn event_fixtures_are_jobs() {
    let dir = root().join("infra/events");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let job: Result<Job, _> = serde_json::from_str(&text);
        assert!(job.is_ok(), "{}: {job:?}", path.display());
        n += 1;
    }
    assert!(n >= 4);
}

#[test]
fn schedule_inputs_in_the_template_are_jobs() {
    let template = std::fs::read_to_string(root().join("infra/template.yaml")).unwrap();
    let inputs: Vec<&str> = template
        .lines()
        .filter_map(|l| l.trim().strip_prefix("Input: '"))
        .map(|l| l.trim_end_matches('\''))
        .collect();
    assert_eq!(inputs.len(), 5, "{inputs:?}");
    for input in inputs {
        let job: Job = serde_json::from_str(input).unwrap();
        assert!(
            matches!(
                job,
                Job::SweepNotices
                    | Job::AnnualReports
                    | Job::CreditRollover
                    | Job::CreditAList
                    | Job::CreditSiteChecks
            ),
            "{job:?}"
        );
    }
}
