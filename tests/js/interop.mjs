// A real y-websocket client (npm yjs + y-websocket, versions pinned in package-lock.json)
// on a Coboard board, driven by tests/e2e/tests/interop.rs.
//
//   node interop.mjs <ws-base-url> <board-id> <token> <mode>
//
// modes:
//   co-edit  add a note, wait for the Rust client's note and presence, type into its note
//   offline  sync, go offline, add a note while disconnected, reconnect, wait for the upload
//   refused  connect with a bad token and report how the connection ended
//
// Prints one JSON line describing what it saw; exits non-zero on failure or after 30 s.

import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'

const [base, board, token, mode] = process.argv.slice(2)
const fail = (msg) => { console.error(msg); process.exit(1) }
setTimeout(() => fail(`timed out in mode ${mode}`), 30_000).unref()

const doc = new Y.Doc()
// disableBc: otherwise same-process providers sync through BroadcastChannel, not the server.
// The invite token goes in the query string (`params`), as the server expects.
const provider = new WebsocketProvider(base, board, doc, { WebSocketPolyfill: WebSocket, disableBc: true, params: { token } })
provider.awareness.setLocalStateField('user', { name: 'Node client', role: 'professional', color: '#1f6feb' })
const items = doc.getMap('items')

/** Adds a note following docs/board-schema.md. */
function addNote (id, text) {
  doc.transact(() => {
    const note = new Y.Map()
    note.set('id', id)
    note.set('kind', 'note')
    note.set('x', 40)
    note.set('y', 40)
    note.set('w', 200)
    note.set('h', 140)
    note.set('colour', 'blue')
    note.set('author', { name: 'Node client', role: 'professional' })
    note.set('created_at', Date.now())
    note.set('text', new Y.Text(text))
    items.set(id, note)
  })
}

const texts = () => [...items.values()].map((m) => m.get('text')?.toString() ?? '').sort()

/** Resolves once `pred()` holds, checking after every document or awareness change. */
function until (pred) {
  return new Promise((resolve) => {
    const check = () => { if (pred()) { doc.off('update', check); provider.awareness.off('change', check); resolve() } }
    doc.on('update', check)
    provider.awareness.on('change', check)
    check()
  })
}

const synced = () => new Promise((resolve) => {
  if (provider.synced) return resolve()
  const on = (s) => { if (s) { provider.off('sync', on); resolve() } }
  provider.on('sync', on)
})

if (mode === 'refused') {
  // A bad token: the server accepts the upgrade and closes with 4401, and y-websocket
  // must give up for good rather than retry.
  let closes = 0
  provider.on('connection-close', () => { closes++ })
  const closed = await new Promise((resolve) => provider.on('closed', resolve))
  await new Promise((resolve) => setTimeout(resolve, 3000))
  console.log(JSON.stringify({ code: closed.code, reason: closed.reason, closes, synced: provider.synced }))
  provider.destroy()
  process.exit(0)
}

await synced()

if (mode === 'co-edit') {
  addNote('from-node', 'from node')
  await until(() => texts().includes('from rust'))
  const peers = () => [...provider.awareness.getStates().values()].map((s) => s.user?.name)
  await until(() => peers().includes('Rust client'))
  const rustText = items.get('from-rust').get('text')
  rustText.insert(rustText.length, ' + node')
  await until(() => texts().includes('from rust + node'))
  // Give the server a moment to relay our last update before we leave.
  await new Promise((resolve) => setTimeout(resolve, 300))
  console.log(JSON.stringify({ texts: texts(), peers: peers(), clientID: doc.clientID }))
} else if (mode === 'offline') {
  provider.disconnect()
  addNote('offline-node', 'written while offline')
  provider.connect()
  await synced()
  await new Promise((resolve) => setTimeout(resolve, 300))
  console.log(JSON.stringify({ texts: texts() }))
} else {
  fail(`unknown mode ${mode}`)
}
provider.destroy()
process.exit(0)
