// A real session's size in npm y-websocket providers (versions pinned in package-lock.json):
// N people on one board for S seconds, each with presence and each writing twice a second.
// Driven by tests/e2e/tests/interop.rs.
//
//   node crowd.mjs <ws-base-url> <board-id> <token> <people> <seconds>
//
// Prints one JSON line: how many connections the server closed, how many of the last values
// each person wrote reached every other person, and how many people each person saw.

import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'

const [base, board, token, peopleArg, secondsArg] = process.argv.slice(2)
const people = Number(peopleArg)
const seconds = Number(secondsArg)
setTimeout(() => { console.error('timed out'); process.exit(1) }, (seconds + 60) * 1000).unref()

const closes = []
const crowd = []
for (let i = 0; i < people; i++) {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(base, board, doc, {
    WebSocketPolyfill: WebSocket,
    // Otherwise same-process providers sync through BroadcastChannel, not the server.
    disableBc: true,
    params: { token }
  })
  provider.awareness.setLocalStateField('user', { name: `Person ${i}`, role: 'public' })
  provider.on('connection-close', (event) => {
    if (event) closes.push({ person: i, code: event.code, reason: event.reason })
  })
  crowd.push({ doc, provider, written: 0 })
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const allSynced = () => crowd.every((c) => c.provider.synced)
for (let t = 0; !allSynced() && t < 300; t++) await sleep(100)
if (!allSynced()) { console.error('not every provider synced'); process.exit(1) }

// Twice a second each person bumps their own counter in a free-form root map.
const started = Date.now()
while (Date.now() - started < seconds * 1000) {
  for (const [i, c] of crowd.entries()) {
    c.written += 1
    c.doc.getMap('crowd').set(`p${i}`, c.written)
  }
  await sleep(500)
}

// Every person's last value should reach every other person.
const expected = people * (people - 1)
const reached = () => {
  let n = 0
  for (const c of crowd) {
    const map = c.doc.getMap('crowd')
    for (const [j, other] of crowd.entries()) {
      if (other !== c && map.get(`p${j}`) === other.written) n++
    }
  }
  return n
}
for (let t = 0; reached() < expected && t < 100; t++) await sleep(100)
const seen = crowd.map((c) => [...c.provider.awareness.getStates().values()].filter((s) => s.user).length)
console.log(JSON.stringify({
  people,
  seconds,
  closes,
  delivered: reached(),
  expected,
  writes: crowd.reduce((n, c) => n + c.written, 0),
  fewest_seen: Math.min(...seen)
}))
for (const c of crowd) c.provider.destroy()
process.exit(0)
