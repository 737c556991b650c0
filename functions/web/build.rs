//! Gzip every asset at build time (flate2, best compression) into `OUT_DIR`, so the
//! function answers `Accept-Encoding: gzip` with bytes made once, never per request.

use std::io::Write;

fn main() {
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    println!("cargo:rerun-if-changed=assets");
    for entry in std::fs::read_dir("assets").expect("assets/") {
        let path = entry.expect("an asset").path();
        let name = path
            .file_name()
            .expect("a file name")
            .to_string_lossy()
            .into_owned();
        println!("cargo:rerun-if-changed=assets/{name}");
        let bytes = std::fs::read(&path).expect("readable asset");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&bytes).expect("gzip");
        std::fs::write(out.join(format!("{name}.gz")), gz.finish().expect("gzip"))
            .expect("OUT_DIR writable");
    }
}
