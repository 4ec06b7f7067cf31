//! The WASI command: the request JSON on standard input, the response on standard output, the
//! CLI's exit codes. Needs no preopened directories: documents travel inside the request.

use std::io::{Read, Write};

fn main() {
    let mut input = Vec::new();
    let code = match std::io::stdin().read_to_end(&mut input) {
        Ok(_) => {
            let (out, code) = kijun_wasm::handle_bytes(&input);
            let mut stdout = std::io::stdout().lock();
            if stdout
                .write_all(out.as_bytes())
                .and_then(|()| stdout.flush())
                .is_err()
            {
                // Nobody can read the answer: say so where a human may see it.
                let _ = writeln!(
                    std::io::stderr(),
                    "kijun-wasi: cannot write standard output"
                );
                2
            } else {
                code
            }
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
