//! Changes the server makes to a board itself (publishing a sealed round's ballots).

use coboard_shared::schema::Board;
use yrs::{ReadTxn, StateVector, Transact};

use super::{Ack, BoardActor, SERVER_ORIGIN};
use crate::board::validate;
use crate::board::{BoardError, EditError, ServerEdit};

impl BoardActor {
    /// Runs a server edit on a copy of the board and feeds the resulting update through
    /// the same path as a client's: validated, applied, made durable, then relayed. The
    /// copy costs a full-state encode, which is fine for rare, deliberate actions (closing
    /// a round) and keeps the live document's transactions to the one place above.
    pub(super) fn server_edit(&mut self, edit: ServerEdit, reply: Ack) -> Result<(), BoardError> {
        let scratch = yrs::Doc::new();
        let board = Board::new(&scratch);
        let state = self
            .doc()
            .transact()
            .encode_state_as_update_v1(&StateVector::default());
        let update = validate::guarded(|| {
            let mut txn = scratch.transact_mut();
            // The live document's own encoding: it decodes and applies (see `validate`).
            let copy = <yrs::Update as yrs::updates::decoder::Decode>::decode_v1(&state)
                .expect("a board's own state decodes");
            txn.apply_update(copy).expect("a board's own state applies");
            drop(txn);
            let mut txn = scratch.transact_mut();
            edit(&board, &mut txn)?;
            Ok(txn.encode_update_v1())
        });
        match update {
            Ok(Ok(update))
                if self.log.stored_bytes() + update.len() > self.config.max_board_bytes =>
            {
                let _ = reply.send(Err(EditError::Refused(
                    coboard_shared::schema::SchemaError::Invalid(
                        "This board has reached its size limit.".into(),
                    ),
                )));
                Ok(())
            }
            Ok(Ok(update)) => self.apply(SERVER_ORIGIN, update, Some(reply)),
            Ok(Err(refused)) => {
                let _ = reply.send(Err(EditError::Refused(refused)));
                Ok(())
            }
            Err(panic) => {
                tracing::error!(panic = %panic, "a server edit panicked");
                let _ = reply.send(Err(EditError::Board(BoardError::Poisoned(panic))));
                Ok(())
            }
        }
    }
}
