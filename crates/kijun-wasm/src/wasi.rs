//! The WASI command: the request JSON on standard input, the response on standard output, the
//! CLI's exit codes. Needs no preopened directories: documents travel inside the request.

use std::io::{Read, Write};

fn main() {
    let mut input = String::new();
    let code = match std::io::stdin().read_to_string(&mut input) {
        Ok(_) => {
            let (out, code) = kijun_wasm::handle(&input);
            let _ = std::io::stdout().write_all(out.as_bytes());
            code
        }
        Err(e) => {
            let _ = writeln!(
                std::io::stderr(),
                "kijun-wasi: cannot read standard input: {e}"
            );
            2
        }
    };
    std::process::exit(code);
}
