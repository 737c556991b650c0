//! The baseline: the smallest lambda_http function, built like ours.

use lambda_http::{Body, Error, Request, Response, run, service_fn};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    run(service_fn(|_req: Request| async {
        Ok::<_, Error>(
            Response::builder()
                .status(200)
                .body(Body::from("hello"))
                .expect("static response"),
        )
    }))
    .await
}
