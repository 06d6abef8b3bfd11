//! Build script: Tauri's context (assets, ACL), and permissions for exactly Lookout's commands.

use std::path::Path;

#[path = "src/command_names.rs"]
mod command_names;
use command_names::COMMANDS;

/// Where `npm run build` in ui/ puts the window's files (tauri.conf.json `build.frontendDist`).
const UI_DIST: &str = "../ui/dist";

/// Shown instead of the window when the UI was never built, so a Rust-only checkout (CI lint,
/// `cargo test`) still compiles; the page says how to get the real window.
const PLACEHOLDER: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Lookout</title></head><body><h1>Lookout</h1><p>This build has no window UI. Run \
<code>npm ci &amp;&amp; npm run build</code> in <code>ui/</code>, then rebuild \
<code>lookout-tray</code>.</p></body></html>\n";

fn main() {
    let dist = Path::new(UI_DIST);
    if !dist.join("index.html").exists() {
        println!("cargo:warning=ui/dist has no index.html: embedding a placeholder page; run `npm run build` in ui/ for the real window");
        if let Err(e) = std::fs::create_dir_all(dist)
            .and_then(|()| std::fs::write(dist.join("index.html"), PLACEHOLDER))
        {
            panic!("cannot write the placeholder page into '{UI_DIST}': {e}");
        }
    }
    println!("cargo:rerun-if-changed={UI_DIST}");
    println!("cargo:rerun-if-changed=permissions");
    println!("cargo:rerun-if-changed=capabilities");

    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS))
        .codegen(tauri_build::CodegenContext::new());
    if let Err(e) = tauri_build::try_build(attributes) {
        // A build script reports failure by panicking; the message says what to fix.
        panic!("tauri-build failed: {e:#}");
    }
}
