//! CIDR arithmetic for Terraform's `cidr*` functions and for rules that ask whether a range is
//! open to the whole internet.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A parsed prefix: address bits as u128 (IPv4 in the low 32 bits), prefix length, family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    pub addr: u128,
    pub len: u32,
    pub v6: bool,
}

impl Cidr {
    pub fn parse(s: &str) -> Option<Cidr> {
        let s = s.trim();
        let (a, l) = match s.split_once('/') {
            Some((a, l)) => (a, Some(l.parse::<u32>().ok()?)),
            None => (s, None),
        };
        let ip: IpAddr = a.parse().ok()?;
        let (addr, bits, v6) = match ip {
            IpAddr::V4(v) => (u32::from(v) as u128, 32, false),
            IpAddr::V6(v) => (u128::from(v), 128, true),
        };
        let len = l.unwrap_or(bits);
        if len > bits {
            return None;
        }
        Some(Cidr { addr, len, v6 })
    }

    fn bits(&self) -> u32 {
        if self.v6 {
            128
        } else {
            32
        }
    }

    fn mask(&self) -> u128 {
        let host = self.bits() - self.len;
        let all = if self.v6 { u128::MAX } else { u32::MAX as u128 };
        if host >= 128 {
            0
        } else {
            all & !((1u128 << host) - 1)
        }
    }

    pub fn network(&self) -> u128 {
        self.addr & self.mask()
    }

    /// The prefix covers the whole address space of its family (`0.0.0.0/0`, `::/0`).
    pub fn is_everything(&self) -> bool {
        self.len == 0
    }

    fn fmt_addr(&self, a: u128) -> String {
        if self.v6 {
            Ipv6Addr::from(a).to_string()
        } else {
            Ipv4Addr::from(u32::try_from(a & 0xffff_ffff).unwrap_or(0)).to_string()
        }
    }

    pub fn display(&self) -> String {
        format!("{}/{}", self.fmt_addr(self.network()), self.len)
    }
}

pub fn subnet(prefix: &str, newbits: u32, netnum: u128) -> Option<String> {
    let c = Cidr::parse(prefix)?;
    let len = c.len.checked_add(newbits)?;
    if newbits >= 128 || len > c.bits() || netnum >> newbits != 0 {
        return None;
    }
    let host = c.bits() - len;
    let shifted = if host >= 128 { 0 } else { netnum << host };
    let n = Cidr {
        addr: c.network() | shifted,
        len,
        v6: c.v6,
    };
    Some(n.display())
}

pub fn subnets(prefix: &str, bits: &[u32]) -> Option<Vec<String>> {
    let c = Cidr::parse(prefix)?;
    let mut next: u128 = c.network();
    let mut out = Vec::new();
    for &nb in bits {
        let len = c.len.checked_add(nb)?;
        if len > c.bits() {
            return None;
        }
        let host = c.bits() - len;
        let size: u128 = if host >= 128 {
            return None;
        } else {
            1u128 << host
        };
        // align up
        let aligned = next.checked_add(size - 1)? & !(size - 1);
        let n = Cidr {
            addr: aligned,
            len,
            v6: c.v6,
        };
        out.push(n.display());
        next = aligned.checked_add(size)?;
    }
    Some(out)
}

pub fn host(prefix: &str, num: i128) -> Option<String> {
    let c = Cidr::parse(prefix)?;
    let host = c.bits() - c.len;
    let size: i128 = if host >= 127 {
        i128::MAX
    } else {
        1i128 << host
    };
    let n = if num < 0 { size + num } else { num };
    if n < 0 || n >= size {
        return None;
    }
    Some(c.fmt_addr(c.network() + n as u128))
}

pub fn netmask(prefix: &str) -> Option<String> {
    let c = Cidr::parse(prefix)?;
    if c.v6 {
        return None;
    }
    Some(c.fmt_addr(c.mask()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terraform_examples() {
        assert_eq!(subnet("172.16.0.0/12", 4, 2).unwrap(), "172.18.0.0/16");
        assert_eq!(subnet("10.1.2.0/24", 4, 15).unwrap(), "10.1.2.240/28");
        assert_eq!(
            subnet("fd00:fd12:3456:7890::/56", 16, 162).unwrap(),
            "fd00:fd12:3456:7800:a200::/72"
        );
        assert_eq!(host("10.12.112.0/20", 16).unwrap(), "10.12.112.16");
        assert_eq!(host("10.12.112.0/20", 268).unwrap(), "10.12.113.12");
        assert_eq!(netmask("172.16.0.0/12").unwrap(), "255.240.0.0");
        assert_eq!(
            subnets("10.1.0.0/16", &[4, 4, 8, 4]).unwrap(),
            vec![
                "10.1.0.0/20",
                "10.1.16.0/20",
                "10.1.32.0/24",
                "10.1.48.0/20"
            ]
        );
        assert!(subnet("10.0.0.0/8", 30, 0).is_none());
    }

    #[test]
    fn everything() {
        assert!(Cidr::parse("0.0.0.0/0").unwrap().is_everything());
        assert!(Cidr::parse("::/0").unwrap().is_everything());
        assert!(!Cidr::parse("10.0.0.0/8").unwrap().is_everything());
    }
}
