// The contribution ledger and the UK Standards evidence in real browsers. Fay
// (facilitator) makes a board and a contributor link; Sam (public member) joins with it
// and stays a few seconds, so presence has his time. Fay opens the ledger, saves rate
// table version 1 (meetings at £25 an hour), adds a row for Sam linked to him through
// "Fill in from presence" (30 minutes' preparation, 90 in the session, a voucher), saves
// version 2 (£30 an hour) and adds a second row. The first row still says £50.00 offered
// at version 1, the second £60.00 at version 2. She marks the first paid on a date and
// downloads the finance team's CSV, which ends with a TOTAL row. Sam sees his statement
// button (not the ledger) and downloads his own rows. Both see six standards, and after
// Fay's rows the inclusive-opportunities evidence mentions the payment. Screenshots go to
// <out-dir>.
//
//   node ledger.mjs <base-url> <out-dir>
//
// Prints one JSON line with what was seen; exits non-zero with a message on failure.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { launch, person as newPerson, audit, joinBoard, fail, createBoard, inviteLink } from './lib.mjs'

const [base, out] = process.argv.slice(2)
if (!base || !out) fail('usage: node ledger.mjs <base-url> <out-dir>')
const browser = await launch()
const oneLine = (s) => s.replace(/\s+/g, ' ').trim()
const audits = []

/** Clicks a download button and returns the file's suggested name and text. */
async function download (page, button) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(button)])
  const failure = await file.failure()
  if (failure) fail(`download failed: ${failure}`)
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') }
}

/** Shows the Balance tab and waits for the six standards. */
async function openBalance (page) {
  await page.click('#tab-participation')
  await page.waitForSelector('#panel-participation:not([hidden])')
  await page.waitForFunction(() => document.querySelectorAll('#standards-list > li.standard').length === 6)
}

/** The inclusive-opportunities evidence, as one line of text. */
const inclusive = (page) => page.locator('#standards-list li[data-standard="inclusive-opportunities"] .standard-found').innerText().then(oneLine)

/** Types a name, fills the minutes in from presence, and waits for the row to be linked. */
async function fillFromPresence (page, name) {
  await page.fill('#row-person', name)
  await page.click('#row-fill')
  await page.waitForSelector('#row-linked:not([hidden])')
  await page.waitForFunction(() => document.querySelector('#row-minutes').value !== '')
  return Number(await page.inputValue('#row-minutes'))
}

/** Fills in and adds a row, then waits until the table has `rows` rows. */
async function addRow (page, { task, choice, rows }) {
  await page.fill('#row-task', task)
  await page.fill('#row-prep', '30')
  await page.fill('#row-minutes', '90')
  await page.selectOption('#row-rate', 'meetings')
  await page.selectOption('#row-choice', choice)
  await page.click('#row-add')
  await page.waitForFunction((n) => document.querySelectorAll('#ledger-rows tbody tr').length === n, rows)
  await page.waitForFunction(() => /Added/.test(document.querySelector('#row-status')?.textContent ?? ''))
}

async function saveRates (page, pounds, version) {
  await page.fill('#rate-pounds-0', pounds)
  await page.click('#rates-save')
  await page.waitForSelector(`#rates-current[data-version="${version}"]`, { timeout: 5000 })
    .catch(async () => fail(`rate table version ${version} not saved: ${page.errors.join('\n')}\n${await page.locator('#ledger-dialog').innerText()}`))
}

// Fay makes the board and a contributor link.
const fay = await newPerson(browser, { width: 1440, height: 1000 })
await createBoard(fay, base, 'Getting to appointments', 'coproduction-plan')
await joinBoard(fay, 'Fay', 'facilitator')
const link = await inviteLink(fay, 'contributor')

// Sam joins, stays a few seconds, and comes back: the first visit is now on record.
const sam = await newPerson(browser, { width: 1280, height: 900 })
await sam.goto(link)
await joinBoard(sam, 'Sam', 'public')
await sam.waitForTimeout(3000)
await sam.reload()
await sam.waitForFunction(() => window.__coboard_ready === true)
await openBalance(sam)
await sam.waitForSelector('#statement-download')
const samSeesLedger = await sam.locator('#ledger-open').count()
if (samSeesLedger) fail('a contributor sees the ledger button')
const before = await inclusive(sam)

// Fay opens the ledger: a modal dialog with focus inside, saying what it keeps.
await openBalance(fay)
if (await fay.locator('#statement-download').count()) fail('the facilitator sees the statement button instead of the ledger')
await fay.click('#ledger-open')
await fay.waitForSelector('#ledger-dialog[role=dialog][aria-modal=true]')
await fay
  .waitForFunction(() => document.activeElement?.id === 'ledger-heading', null, { timeout: 5000 })
  .catch(async () => fail(`focus did not move into the dialog: ${await fay.evaluate(() => document.activeElement?.id)}`))
// Focus stays inside the modal dialog: Shift+Tab from the heading wraps to the last
// control, and Tab from there back to the first.
await fay.keyboard.press('Shift+Tab')
await fay.waitForFunction(() => document.activeElement?.id === 'ledger-export')
await fay.keyboard.press('Tab')
await fay.waitForFunction(() => document.activeElement?.id === 'ledger-close')
const about = oneLine(await fay.locator('#ledger-about').innerText())
if (!/bank details/.test(about) || !/benefit/.test(about) || !/Only facilitators/.test(about)) fail(`about: ${about}`)
await fay.waitForSelector('#rates-current.panel-empty, #rates-current')

// Rate table version 1, then Sam's first row at it.
await fay.fill('#rates-basis', 'NIHR payment guidance')
await fay.fill('#rate-id-0', 'meetings')
await fay.fill('#rate-label-0', 'Meetings')
await saveRates(fay, '25', 1)
const presenceMinutes = await fillFromPresence(fay, 'sam')
const linkedName = await fay.inputValue('#row-person')
await addRow(fay, { task: 'Planning meeting', choice: 'voucher', rows: 1 })

// Version 2 at £30 an hour; a second row uses it, the first keeps version 1.
const rateHint = oneLine(await fay.locator('#rates-form').evaluate((f) => f.previousElementSibling.textContent))
await saveRates(fay, '30', 2)
await fillFromPresence(fay, 'Sam')
await addRow(fay, { task: 'Reading the papers', choice: 'full', rows: 2 })
const rowOf = (task) => `#ledger-rows tbody tr:has(td:text-is("${task}"))`
const cell = (task, what) => fay.locator(`${rowOf(task)} td.${what}`).innerText().then(oneLine)
const first = { offered: await cell('Planning meeting', 'offered'), rate: await cell('Planning meeting', 'rate'), choice: await cell('Planning meeting', 'choice') }
const second = { offered: await cell('Reading the papers', 'offered'), rate: await cell('Reading the papers', 'rate') }
if (first.offered !== '£50.00' || !first.rate.includes('version 1')) fail(`first row: ${JSON.stringify(first)}`)
if (second.offered !== '£60.00' || !second.rate.includes('version 2')) fail(`second row: ${JSON.stringify(second)}`)

// The first row is paid: choosing "paid" asks for the date, then the row says so.
const firstId = await fay.getAttribute(rowOf('Planning meeting'), 'data-id')
await fay.selectOption(`tr[data-id="${firstId}"] .row-status`, 'paid')
await fay.waitForSelector(`tr[data-id="${firstId}"] .row-paid-on`)
await fay.fill(`tr[data-id="${firstId}"] .row-paid-on`, '2026-01-15')
await fay.click(`tr[data-id="${firstId}"] .row-paid-save`)
await fay.waitForSelector(`tr[data-id="${firstId}"][data-status="paid"]`)
await fay.waitForFunction((id) => /2026-01-15/.test(document.querySelector(`tr[data-id="${id}"] td.row-state`)?.textContent ?? ''), firstId)
await fay.waitForFunction(() => /£50\.00/.test(document.querySelector('#ledger-totals .paid')?.textContent ?? ''))
const totals = oneLine(await fay.locator('#ledger-totals').innerText())

// The finance team's spreadsheet ends with a TOTAL row.
const csv = await download(fay, '#ledger-export')
const lines = csv.text.trim().split(/\r?\n/)
const last = lines[lines.length - 1]
if (!last.startsWith('TOTAL') || !csv.name.endsWith('.csv')) fail(`CSV ${csv.name} ends with: ${last}`)
await fay.waitForFunction(() => /Ready/.test(document.querySelector('#ledger-export-status')?.textContent ?? ''))

audits.push(await audit(fay, 'ledger dialog'))
// Tall enough for the whole dialog in one picture.
await fay.setViewportSize({ width: 1440, height: 2200 })
await fay.locator('#ledger-dialog').screenshot({ path: join(out, 'ledger.png') })
await fay.setViewportSize({ width: 1440, height: 1000 })

// Escape closes the dialog and puts focus back on its button.
await fay.focus('#row-task')
await fay.keyboard.press('Escape')
await fay.waitForSelector('#ledger-dialog', { state: 'detached' })
await fay.waitForFunction(() => document.activeElement?.id === 'ledger-open')

// The Standards evidence now mentions the payment, for Fay and for Sam.
await fay.click('#standards-refresh')
await fay.waitForFunction(() => /Payment recorded/.test(document.querySelector('#standards-list li[data-standard="inclusive-opportunities"]')?.textContent ?? ''))
const after = await inclusive(fay)
const titles = await fay.$$eval('#standards-list > li h3', (hs) => hs.map((h) => h.textContent.trim()))
audits.push(await audit(fay, 'standards evidence'))
await fay.setViewportSize({ width: 1440, height: 2600 })
await fay.locator('#standards').screenshot({ path: join(out, 'standards.png') })
await fay.setViewportSize({ width: 1440, height: 1000 })
const md = await download(fay, '#standards-download')
if (!md.name.endsWith('.md') || !md.text.includes('Inclusive opportunities')) fail(`Markdown ${md.name}: ${md.text.slice(0, 200)}`)

await sam.click('#standards-refresh')
await sam.waitForFunction(() => /Payment recorded/.test(document.querySelector('#standards-list li[data-standard="inclusive-opportunities"]')?.textContent ?? ''))
audits.push(await audit(sam, 'balance tab, contributor'))

// Sam's own statement: his two rows and nobody else's, with totals.
const statement = await download(sam, '#statement-download')
const mine = statement.text.trim().split(/\r?\n/)
if (mine.length !== 4 || !mine[3].startsWith('TOTAL') || !statement.text.includes('Planning meeting')) fail(`statement:\n${statement.text}`)

const errors = [...fay.errors, ...sam.errors]
if (errors.length) fail(`page errors: ${errors.join('\n')}`)
const bad = audits.filter((a) => a.bad.length)
if (bad.length) fail(`accessibility violations: ${JSON.stringify(bad, null, 1)}`)
console.log(JSON.stringify({
  about,
  rate_hint: rateHint,
  presence_minutes: presenceMinutes,
  linked_name: linkedName,
  first,
  second,
  totals,
  csv: { name: csv.name, rows: lines.length - 2, last },
  sam_sees_ledger: samSeesLedger,
  standards: titles,
  inclusive_before: before,
  inclusive_after: after,
  statement: { name: statement.name, lines: mine.length, last: mine[3] },
  audits: audits.map((a) => a.where)
}))
await browser.close()
process.exit(0)
