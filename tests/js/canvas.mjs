// A big board in a real browser: the canvas puts only the cards near the view on the page,
// yet every card can be reached, read and edited, and the list view still has them all.
//
// A Node Yjs client writes 600 notes on a grid below the template's frames. Ben opens the
// board in headless Chromium and:
// - the canvas has far fewer cards on the page than the board holds;
// - a card scrolled into view appears, and what he types in it reaches the Node client;
// - a card he is typing in stays on the page when he scrolls away, and keeps his caret;
// - a change to a card off the page is there when he scrolls to it;
// - the list view has every item, under the template's headings;
// - zoom works by key and button, and "Whole board" shows it all;
// - the Node writer's pointer shows on Ben's board, and Ben's reaches the Node writer;
// - axe finds nothing serious on the big canvas.
//
//   node canvas.mjs <coboard-binary> <web-dir> <out-dir>
//
// Prints one JSON line with what was seen; exits non-zero with a message on failure.

import { join } from 'node:path'
import { bringIntoView, startBoardServer } from './big-board.mjs'
import { audit, fail, joinBoard, launch, person } from './lib.mjs'

const [binary, webDir, out] = process.argv.slice(2)
if (!binary || !webDir || !out) fail('usage: node canvas.mjs <coboard-binary> <web-dir> <out-dir>')
const NOTES = 600
const seen = {}

const server = await startBoardServer(binary, webDir)
const board = await server.newBoard('A big board')
const writer = server.connect(board.id, board.token, 'Node writer')
await server.synced(writer.provider)
const ids = server.seedNotes(writer.doc, NOTES, server.gridOrigin(writer.doc))
const total = await server.serverHas(board.id, board.token, NOTES)

const browser = await launch(170_000)
const ben = await person(browser)
await ben.goto(server.base + board.link)
await joinBoard(ben, 'Ben', 'public')
const note = (id) => `.note[data-id="${id}"]`
const cardsOnPage = () => ben.locator('section.canvas .note').count()

// Only the cards near the view are on the page.
await ben.waitForSelector('section.canvas .note')
seen.cardsOnPage = await cardsOnPage()
seen.items = total
if (seen.cardsOnPage >= total / 2) fail(`${seen.cardsOnPage} of ${total} cards are on the page`)
const last = ids.at(-1)
if (await ben.locator(note(last)).count()) fail('the last card, far from the view, is on the page')

// Scrolled into view, it appears and can be edited.
await bringIntoView(ben, writer.items.get(last))
await ben.waitForSelector(`${note(last)} textarea`)
const box = ben.locator(`${note(last)} textarea`)
await box.click()
await box.press('Control+End')
await box.pressSequentially(' (seen by Ben)')
const reached = () => writer.items.get(last).get('text').toString().endsWith('(seen by Ben)')
for (let i = 0; i < 100 && !reached(); i++) await new Promise((resolve) => setTimeout(resolve, 100))
if (!reached()) fail(`Ben's words did not reach the board: ${writer.items.get(last).get('text')}`)
seen.cardsAfterScroll = await cardsOnPage()

// Scrolling away while typing keeps the card, its focus and its caret.
await bringIntoView(ben, writer.items.get(ids[0]))
await ben.waitForSelector(`${note(ids[0])} textarea`)
if (!(await ben.locator(note(last)).count())) fail('the card being typed in left the page')
await ben.keyboard.type('!')
await ben.waitForFunction(() => document.activeElement?.value?.endsWith('(seen by Ben)!'))
const typed = () => writer.items.get(last).get('text').toString().endsWith('(seen by Ben)!')
for (let i = 0; i < 100 && !typed(); i++) await new Promise((resolve) => setTimeout(resolve, 100))
if (!typed()) fail('typing in a card scrolled out of view did not reach the board')

// A change to a card off the page is there when it comes into view.
const middle = ids[Math.floor(NOTES / 2)]
if (await ben.locator(note(middle)).count()) fail('the middle card is on the page before scrolling to it')
writer.items.get(middle).get('text').insert(0, 'Changed while away: ')
await new Promise((resolve) => setTimeout(resolve, 500))
await bringIntoView(ben, writer.items.get(middle))
await ben.waitForFunction((sel) => document.querySelector(sel)?.value.startsWith('Changed while away: '), `${note(middle)} textarea`)
// Zoom: the keys on the canvas, the buttons, and the whole board at once.
const zoomText = () => ben.locator('#zoom-reset').innerText()
const cardWidth = () => ben.locator(note(middle)).evaluate((n) => n.getBoundingClientRect().width)
await ben.locator('section.canvas').focus()
await ben.keyboard.press('-')
await ben.waitForFunction(() => document.querySelector('#zoom-reset').innerText.trim() === '80%')
if (Math.abs(await cardWidth() - 160) > 1) fail(`a 200 px card is ${await cardWidth()} px wide at 80%`)
await ben.keyboard.press('0')
await ben.waitForFunction(() => document.querySelector('#zoom-reset').innerText.trim() === '100%')
await ben.click('#zoom-in')
await ben.waitForFunction(() => document.querySelector('#zoom-reset').innerText.trim() === '125%')
if (Math.abs(await cardWidth() - 250) > 1) fail(`a 200 px card is ${await cardWidth()} px wide at 125%`)
await ben.click('#zoom-fit')
await ben.waitForFunction(() => parseInt(document.querySelector('#zoom-reset').innerText) < 50)
seen.wholeBoardZoom = await zoomText()
const whole = await ben.evaluate(() => {
  const c = document.querySelector('section.canvas')
  return { fits: c.scrollWidth <= c.clientWidth + 1 || c.scrollHeight <= c.clientHeight + 1, top: c.scrollTop }
})
// This board is more than four screens tall, so it stops at the smallest zoom.
if (!(whole.fits || seen.wholeBoardZoom.trim() === '25%') || whole.top !== 0) fail(`"Whole board": ${seen.wholeBoardZoom} ${JSON.stringify(whole)}`)
await ben.screenshot({ path: join(out, 'whole-board.png') })
await ben.locator('section.canvas').focus()
await ben.keyboard.press('0')
await bringIntoView(ben, writer.items.get(middle))

// Pointers: the Node writer's shows on Ben's board with its name, where it says it is;
// Ben's reaches the Node writer while it moves over the board.
writer.provider.awareness.setLocalStateField('cursor', { x: 300, y: 200 })
await ben.waitForFunction(() => [...document.querySelectorAll('.cursor')]
  .some((c) => c.innerText.includes('Node writer') && c.style.left === '300px' && c.style.top === '200px'))
const area = await ben.locator('section.canvas').boundingBox()
await ben.mouse.move(area.x + 200, area.y + 150)
await ben.mouse.move(area.x + 240, area.y + 170, { steps: 4 })
const view = await ben.evaluate(() => {
  const c = document.querySelector('section.canvas')
  return { left: c.scrollLeft, top: c.scrollTop }
})
const bensCursor = () => [...writer.provider.awareness.getStates().values()].find((s) => s.user?.name === 'Ben')?.cursor
for (let i = 0; i < 50 && bensCursor()?.x !== view.left + 240; i++) await new Promise((resolve) => setTimeout(resolve, 100))
seen.bensCursor = bensCursor()
if (seen.bensCursor?.x !== view.left + 240 || Math.abs(seen.bensCursor?.y - (view.top + 170)) > 1) {
  fail(`Ben's pointer did not reach the Node writer where it is: ${JSON.stringify(seen.bensCursor)} ${JSON.stringify(view)}`)
}
writer.provider.awareness.setLocalStateField('cursor', { x: view.left + 520, y: view.top + 300 })
await ben.waitForFunction((left) => [...document.querySelectorAll('.cursor')].some((c) => c.style.left === `${left}px`), view.left + 520)
await ben.waitForTimeout(300)
await ben.screenshot({ path: join(out, 'cursors.png') })

seen.audit = await audit(ben, 'a canvas of 600 notes')
if (seen.audit.bad.length) fail(`axe: ${JSON.stringify(seen.audit.bad)}`)
await ben.screenshot({ path: join(out, 'big-board.png') })

// The list view has every item, for screen readers and the browser's find.
await ben.click('#view-list')
await ben.waitForSelector('#list-view li')
seen.listed = await ben.locator('#list-view li').count()
if (seen.listed !== total) fail(`the list view shows ${seen.listed} of ${total} items`)
if (!(await ben.locator(`#list-view li[data-id="${middle}"]`).count())) fail('the list view lacks a card')

if (ben.errors.length) fail(`page errors: ${ben.errors.join('\n')}`)
writer.provider.destroy()
await browser.close()
console.log(JSON.stringify(seen))
process.exit(0)
