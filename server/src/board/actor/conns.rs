//! The board's connections, as its actor knows them: who may join (the caps), how to
//! close one, and which invite, address and presence states each has.

use std::collections::{HashMap, HashSet};

use tokio::sync::oneshot;
use yrs::ClientID;

use super::BoardConfig;
use crate::board::{BoardError, ConnId, Joiner, Kick};

/// One connection of the board.
pub(super) struct Conn {
    /// The invite it came in with.
    pub(super) invite: String,
    /// What that invite lets it do.
    role: coboard_shared::api::AccessRole,
    addr: std::net::IpAddr,
    /// Told once, to close the connection with a code and reason.
    kick: Option<oneshot::Sender<Kick>>,
    /// Awareness client ids this connection has announced; removed when it leaves.
    pub(super) clients: HashSet<ClientID>,
}

#[derive(Default)]
pub(super) struct Connections {
    conns: HashMap<ConnId, Conn>,
}

impl Connections {
    /// Whether `who` may join now. Everyone but facilitators leaves the last
    /// `facilitator_places` free; no address and no link may hold more than its share.
    pub(super) fn may_join(&self, who: &Joiner, config: &BoardConfig) -> Result<(), BoardError> {
        let max = config.max_connections;
        let limit = match who.role.can_manage() {
            true => max,
            false => max.saturating_sub(config.facilitator_places).max(1),
        };
        if self.conns.len() >= limit {
            return Err(BoardError::Full);
        }
        let count = |f: &dyn Fn(&Conn) -> bool| self.conns.values().filter(|c| f(c)).count();
        if count(&|c| c.addr == who.addr) >= config.max_per_address {
            return Err(BoardError::FullForAddress);
        }
        if count(&|c| c.invite == who.invite) >= config.max_per_invite {
            return Err(BoardError::FullForInvite);
        }
        Ok(())
    }

    /// Whether `conn` is on the board and has not been asked to close.
    pub(super) fn in_good_standing(&self, conn: ConnId) -> bool {
        self.conns.get(&conn).is_some_and(|c| c.kick.is_some())
    }

    /// Adds a connection that may join.
    pub(super) fn add(&mut self, who: Joiner, kick: oneshot::Sender<Kick>) {
        let conn = Conn {
            invite: who.invite,
            role: who.role,
            addr: who.addr,
            kick: Some(kick),
            clients: HashSet::new(),
        };
        self.conns.insert(who.conn, conn);
    }

    /// Who a connection writes as, for the rules; `None` for a link that may not write, or
    /// a connection that has gone.
    pub(super) fn writer(&self, conn: ConnId) -> Option<coboard_shared::rules::Writer> {
        use coboard_shared::{api::AccessRole, rules::Writer};
        match self.conns.get(&conn)?.role {
            AccessRole::Facilitator => Some(Writer::Facilitator),
            AccessRole::Contributor => Some(Writer::Contributor),
            _ => None,
        }
    }

    /// The address a connection comes from.
    pub(super) fn addr(&self, conn: ConnId) -> Option<std::net::IpAddr> {
        self.conns.get(&conn).map(|c| c.addr)
    }

    /// Asks a connection to close (once; a second ask is ignored).
    pub(super) fn kick(&mut self, conn: ConnId, code: u16, reason: String) {
        if let Some(kick) = self.conns.get_mut(&conn).and_then(|c| c.kick.take()) {
            let _ = kick.send(Kick { code, reason });
        }
    }

    /// Asks every connection to close.
    pub(super) fn kick_all(&mut self, code: u16, reason: &str) {
        let all: Vec<ConnId> = self.conns.keys().copied().collect();
        for conn in all {
            self.kick(conn, code, reason.to_owned());
        }
    }

    /// Asks every connection from `addr` to close.
    pub(super) fn kick_addr(&mut self, addr: std::net::IpAddr, code: u16, reason: &str) {
        let from: Vec<ConnId> = (self.conns.iter())
            .filter(|(_, c)| c.addr == addr)
            .map(|(id, _)| *id)
            .collect();
        for conn in from {
            self.kick(conn, code, reason.to_owned());
        }
    }

    /// Asks every connection that came in with `invite` to close.
    pub(super) fn kick_invite(&mut self, invite: &str, code: u16, reason: &str) {
        let holders: Vec<ConnId> = (self.conns.iter())
            .filter(|(_, c)| c.invite == invite)
            .map(|(id, _)| *id)
            .collect();
        for conn in holders {
            self.kick(conn, code, reason.to_owned());
        }
    }

    pub(super) fn get(&self, conn: ConnId) -> Option<&Conn> {
        self.conns.get(&conn)
    }

    pub(super) fn get_mut(&mut self, conn: ConnId) -> Option<&mut Conn> {
        self.conns.get_mut(&conn)
    }

    pub(super) fn remove(&mut self, conn: ConnId) -> Option<Conn> {
        self.conns.remove(&conn)
    }

    pub(super) fn is_empty(&self) -> bool {
        self.conns.is_empty()
    }

    /// Every connection, with its id.
    pub(super) fn iter(&self) -> impl Iterator<Item = (ConnId, &Conn)> {
        self.conns.iter().map(|(id, c)| (*id, c))
    }
}

#[cfg(test)]
mod tests {
    use std::net::{IpAddr, Ipv4Addr};

    use coboard_shared::api::AccessRole;
    use tokio::sync::oneshot;

    use super::{BoardConfig, Connections};
    use crate::board::{BoardError, Joiner, Kick};

    fn joiner(conn: u64, role: AccessRole, invite: &str, addr: u8) -> Joiner {
        Joiner {
            conn,
            invite: invite.into(),
            role,
            addr: IpAddr::V4(Ipv4Addr::new(127, 0, 0, addr)),
        }
    }

    fn join(
        conns: &mut Connections,
        who: Joiner,
        config: &BoardConfig,
    ) -> Result<oneshot::Receiver<Kick>, BoardError> {
        conns.may_join(&who, config)?;
        let (tx, rx) = oneshot::channel();
        conns.add(who, tx);
        Ok(rx)
    }

    #[test]
    fn places_are_kept_for_facilitators_and_shared_out_by_address_and_link() {
        let (contributor, facilitator) = (AccessRole::Contributor, AccessRole::Facilitator);
        let small = BoardConfig {
            max_connections: 4,
            facilitator_places: 2,
            ..BoardConfig::default()
        };
        let mut conns = Connections::default();
        join(&mut conns, joiner(1, contributor, "a", 1), &small).unwrap();
        join(&mut conns, joiner(2, contributor, "b", 2), &small).unwrap();
        // The last two places are the facilitators'.
        let third = join(&mut conns, joiner(3, contributor, "c", 3), &small);
        assert!(matches!(third, Err(BoardError::Full)));
        join(&mut conns, joiner(4, facilitator, "f", 4), &small).unwrap();
        join(&mut conns, joiner(5, facilitator, "g", 5), &small).unwrap();
        let fifth = join(&mut conns, joiner(6, facilitator, "h", 6), &small);
        assert!(matches!(fifth, Err(BoardError::Full)));

        let per_link = BoardConfig {
            max_per_invite: 2,
            ..BoardConfig::default()
        };
        let mut conns = Connections::default();
        join(&mut conns, joiner(1, contributor, "same", 1), &per_link).unwrap();
        join(&mut conns, joiner(2, contributor, "same", 2), &per_link).unwrap();
        let link = join(&mut conns, joiner(3, contributor, "same", 3), &per_link);
        assert!(matches!(link, Err(BoardError::FullForInvite)));
        join(&mut conns, joiner(4, contributor, "other", 4), &per_link).unwrap();

        let per_address = BoardConfig {
            max_per_address: 1,
            ..BoardConfig::default()
        };
        let mut conns = Connections::default();
        join(&mut conns, joiner(1, contributor, "x", 9), &per_address).unwrap();
        let again = join(&mut conns, joiner(2, contributor, "y", 9), &per_address);
        assert!(matches!(again, Err(BoardError::FullForAddress)));
        join(&mut conns, joiner(3, contributor, "y", 8), &per_address).unwrap();
    }

    #[test]
    fn a_revoked_link_closes_its_connections_only_and_each_is_told_once() {
        let config = BoardConfig::default();
        let mut conns = Connections::default();
        let role = AccessRole::Contributor;
        let mut a1 = join(&mut conns, joiner(1, role, "a", 1), &config).unwrap();
        let mut a2 = join(&mut conns, joiner(2, role, "a", 2), &config).unwrap();
        let mut b = join(&mut conns, joiner(3, role, "b", 3), &config).unwrap();
        conns.kick_invite("a", 4403, "switched off");
        conns.kick(1, 1011, "again".into());
        for rx in [&mut a1, &mut a2] {
            let kick = rx.try_recv().unwrap();
            assert_eq!((kick.code, kick.reason.as_str()), (4403, "switched off"));
        }
        assert!(b.try_recv().is_err(), "another link's connection stays");
        conns.kick_all(1001, "going away");
        assert_eq!(b.try_recv().unwrap().code, 1001);
        assert!(!conns.is_empty(), "closing is the connection's own job");
    }
}
