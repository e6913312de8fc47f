// A record people can trust, in two real browsers: Fay (facilitator) and Sam (public
// member, contributor link).
// - Only Fay can mark an aim agreed; Sam's later edit shows "changed since agreed" and the
//   download keeps the agreed words.
// - Sam cannot remove Fay's aim; he removes his own note, and "Undo" brings it back.
// - Fay removes Sam's note: it goes to the bin, with who removed it, and comes back.
// - Sam's Ctrl+Z undoes his own typing and his own move, not Fay's typing meanwhile;
//   Ctrl+Shift+Z redoes it.
// - A tampered page's change is refused by the server; the page reloads and says why.
//
//   node record.mjs <base-url> <out-dir>
//
// Prints one JSON line with what was seen; exits non-zero with a message on failure.

import { join } from 'node:path'
import { launch, person as newPerson, audit, joinBoard, addTo, fail, createBoard, inviteLink } from './lib.mjs'

const [base, out] = process.argv.slice(2)
if (!base || !out) fail('usage: node record.mjs <base-url> <out-dir>')
const browser = await launch()
const person = () => newPerson(browser, { width: 1440, height: 900 })
const audits = []
const textOf = (page, id) => page.locator(`.note[data-id="${id}"] textarea`).first().inputValue()
const waitText = (page, id, want) => page.waitForFunction(([id, want]) =>
  document.querySelector(`.note[data-id="${id}"] textarea`)?.value === want, [id, want])

const fay = await person()
await createBoard(fay, base, 'Getting to appointments', 'coproduction-plan')
const boardId = fay.url().split('/').pop()
await joinBoard(fay, 'Fay', 'facilitator')
const link = await inviteLink(fay, 'contributor')
const sam = await person()
await sam.goto(link)
await joinBoard(sam, 'Sam Jones', 'public')

// Fay writes an aim and, as the group agrees, marks it agreed.
const agreed = 'Appointments after the school run'
const aim = await addTo(fay, 'aims', agreed)
await waitText(sam, aim, agreed)
await fay.selectOption(`.note[data-id="${aim}"] .status-select`, 'agreed')
await sam.waitForSelector(`.note[data-id="${aim}"][data-status="agreed"]`)
// Sam may not record or undo an agreement.
if (!(await sam.locator(`.note[data-id="${aim}"] .status-select`).isDisabled())) fail('Sam can change an agreed status')

// Sam edits the agreed aim: both see the change marked as not agreed.
const box = sam.locator(`.note[data-id="${aim}"] textarea`).first()
await box.click()
await box.press('End')
await box.pressSequentially(' and on Saturdays')
for (const page of [fay, sam]) {
  await page.waitForSelector(`.note[data-id="${aim}"] .changed-since-agreed`)
}
await fay.click(`.note[data-id="${aim}"] textarea`)
await fay.click('#tab-item')
await fay.waitForSelector('.agreed-change .agree-change')
audits.push(await audit(fay, 'changed since agreed'))
await fay.locator('#side-panel').screenshot({ path: join(out, 'changed-since-agreed.png') })
const download = await fay.evaluate(async ([id]) => {
  const token = localStorage.getItem(`coboard.token.${id}`)
  const r = await fetch(`/api/boards/${id}/export?format=md&scope=agreed`, { headers: { authorization: `Bearer ${token}` } })
  return r.text()
}, [boardId])
if (!download.includes(agreed) || download.includes('Saturdays')) fail(`the download does not keep the agreed words:\n${download}`)
if (!download.includes('changed since agreed')) fail(`the download does not say a change is pending:\n${download}`)

// Sam cannot remove Fay's aim; he can remove his own note, and undo that.
if (await sam.locator(`.note[data-id="${aim}"] .delete`).count()) fail('Sam is offered to remove Fay\'s aim')
const mine = await addTo(sam, 'aims', 'Bus fares paid back on the day')
await fay.waitForSelector(`.note[data-id="${mine}"]`)
await sam.click(`.note[data-id="${mine}"] .delete`)
for (const page of [fay, sam]) await page.waitForSelector(`.note[data-id="${mine}"]`, { state: 'detached' })
await sam.waitForSelector('#undo-removal')
const undoSaid = (await sam.locator('.undo-removal').innerText()).replace(/\s+/g, ' ').trim()
await sam.screenshot({ path: join(out, 'undo-removal.png') })
await sam.click('#undo-removal')
for (const page of [fay, sam]) await page.waitForSelector(`.note[data-id="${mine}"]`)

// Fay removes Sam's note: it goes to the bin, and comes back.
await fay.click(`.note[data-id="${mine}"] .delete`)
for (const page of [fay, sam]) await page.waitForSelector(`.note[data-id="${mine}"]`, { state: 'detached' })
await fay.click('#bin-open')
await fay.waitForSelector(`#bin-panel li[data-id="${mine}"]`)
const binLine = (await fay.locator(`#bin-panel li[data-id="${mine}"]`).innerText()).replace(/\s+/g, ' ').trim()
if (!binLine.includes('Bus fares') || !binLine.includes('removed by Fay')) fail(`the bin says: ${binLine}`)
audits.push(await audit(fay, 'bin'))
await fay.locator('#bin-panel').screenshot({ path: join(out, 'bin.png') })
await fay.click(`#bin-panel li[data-id="${mine}"] .restore`)
for (const page of [fay, sam]) await page.waitForSelector(`.note[data-id="${mine}"]`)
await fay.waitForSelector('#bin-panel .empty')
await fay.click('#bin-panel button:has-text("Close")')

// Undo and redo: Sam's own typing and move, while Fay types in the aim.
const before = await textOf(sam, mine)
const mineBox = sam.locator(`.note[data-id="${mine}"] textarea`).first()
await mineBox.click()
await mineBox.press('End')
await mineBox.pressSequentially(' (and parking)')
const fayBox = fay.locator(`.note[data-id="${aim}"] textarea`).first()
await fayBox.click()
await fayBox.press('End')
await fayBox.pressSequentially(' too')
const aimNow = await textOf(fay, aim)
await waitText(sam, aim, aimNow)
await sam.waitForTimeout(700) // a new undo step begins after a pause
const handle = sam.locator(`.note[data-id="${mine}"] .handle`)
const at = async (page) => page.locator(`.note[data-id="${mine}"]`).evaluate((n) => n.style.transform || `${n.style.left},${n.style.top}`)
const placed = await at(sam)
await handle.focus()
await handle.press('ArrowRight')
await handle.press('ArrowRight')
await sam.waitForFunction(([id, placed]) => {
  const n = document.querySelector(`.note[data-id="${id}"]`)
  return (n.style.transform || `${n.style.left},${n.style.top}`) !== placed
}, [mine, placed])
await sam.waitForTimeout(700)
// Undo the move, then the typing.
await sam.keyboard.press('Control+z')
await sam.waitForFunction(([id, placed]) => {
  const n = document.querySelector(`.note[data-id="${id}"]`)
  return (n.style.transform || `${n.style.left},${n.style.top}`) === placed
}, [mine, placed])
await sam.keyboard.press('Control+z')
await waitText(sam, mine, before)
await waitText(fay, mine, before)
// Fay's typing is untouched, on both pages.
if ((await textOf(sam, aim)) !== aimNow || (await textOf(fay, aim)) !== aimNow) fail('undo reverted Fay\'s typing')
await sam.keyboard.press('Control+Shift+z')
await waitText(fay, mine, `${before} (and parking)`)

// A tampered page (the disabled "agreed" re-enabled, as anyone can in the browser's
// tools) is refused by the server: nobody sees the change, and the page loads the board
// afresh and says why.
await sam.evaluate((id) => {
  document.querySelector(`.note[data-id="${id}"] .status-select option[value="agreed"]`).disabled = false
}, mine)
const reloaded = sam.waitForEvent('load')
await sam.selectOption(`.note[data-id="${mine}"] .status-select`, 'agreed')
await reloaded
await sam.waitForFunction(() => window.__coboard_ready === true)
await sam.waitForSelector('#edit-refused')
const refused = (await sam.locator('#edit-refused').innerText()).trim()
if (!refused.includes('Only facilitators can')) fail(`the refused page says: ${refused}`)
await sam.waitForSelector(`.note[data-id="${mine}"][data-status="draft"]`)
if (await fay.locator(`.note[data-id="${mine}"][data-status="agreed"]`).count()) fail('Fay sees the refused agreement')
sam.errors = sam.errors.filter((e) => !/reload|navigat/i.test(e))

for (const page of [fay, sam]) {
  if (page.errors.length) fail(`page errors: ${page.errors.join('\n')}`)
}
console.log(JSON.stringify({ undo: undoSaid, bin: binLine, refused, audits }))
await browser.close()
