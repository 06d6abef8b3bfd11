//! Embeds the built window (`ui/dist`, from `npm run build`) in the binary, so the web
//! dashboard serves the very files the tray app shows. Built before the UI, it embeds nothing
//! and the dashboard answers that the window was not built.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let dist = manifest.join("../../ui/dist");
    println!("cargo:rerun-if-changed={}", dist.display());
    let mut files = Vec::new();
    if dist.is_dir() {
        collect(&dist, &dist, &mut files)?;
    }
    files.sort();
    let mut out = String::from(
        "/// The window's files: (path from the site root, content type, bytes).\n\
         pub static ASSETS: &[(&str, &str, &[u8])] = &[\n",
    );
    for (route, path) in &files {
        let absolute = path.canonicalize()?;
        writeln!(
            out,
            "    ({route:?}, {:?}, include_bytes!({:?})),",
            content_type(path),
            absolute.display().to_string()
        )?;
    }
    out.push_str("];\n");
    let target = PathBuf::from(std::env::var("OUT_DIR")?).join("assets.rs");
    std::fs::write(target, out)?;
    Ok(())
}

fn collect(
    root: &Path,
    dir: &Path,
    files: &mut Vec<(String, PathBuf)>,
) -> Result<(), Box<dyn std::error::Error>> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(root, &path, files)?;
        } else {
            let relative = path
                .strip_prefix(root)?
                .to_string_lossy()
                .replace('\\', "/");
            files.push((format!("/{relative}"), path));
        }
    }
    Ok(())
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "json" => "application/json",
        "woff2" => "font/woff2",
        "ftl" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}
