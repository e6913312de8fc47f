// Downloads and history in a real browser: a facilitator downloads the plan (PDF and
// CSV) from the toolbar's "Download" dialog, saves a snapshot, changes the board, sees
// what changed since, opens the snapshot read-only, downloads it, and restores it as a new
// board whose link opens. A viewer sees the history but cannot save. Screenshots of the
// History tab and the dialog go to <out-dir> for the user guide.
//
//   node history.mjs <base-url> <out-dir>
//
// Prints one JSON line with what was seen; exits non-zero with a message on failure.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { launch, person as newPerson, audit, joinBoard, addTo, fail } from './lib.mjs'

const [base, out] = process.argv.slice(2)
if (!base || !out) fail('usage: node history.mjs <base-url> <out-dir>')
const browser = await launch()
const person = () => newPerson(browser, { width: 1440, height: 900 })

/** Clicks a download button and returns the file's suggested name and contents. */
async function download (page, button) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(button)])
  const failure = await file.failure()
  if (failure) fail(`download failed: ${failure}`)
  return { name: file.suggestedFilename(), body: readFileSync(await file.path()) }
}

const oneLine = (s) => s.replace(/\s+/g, ' ').trim()
const audits = []
const asha = await person()
await asha.goto(base + '/')
await asha.waitForSelector('#board-title')
await asha.fill('#board-title', 'Getting to appointments')
await asha.check('input[name=template][value=coproduction-plan]')
await asha.click('#create-board')
await asha.waitForURL(/\/b\/[0-9a-f]{32}$/)
const boardId = new URL(asha.url()).pathname.split('/').pop()
await joinBoard(asha, 'Asha', 'public')
await asha.waitForSelector('.frame[data-section="aims"]')

// An aim, agreed: the server saves a snapshot by itself.
const aim = await addTo(asha, 'aims', 'Carers can get to clinic on time')
await asha.selectOption(`.note[data-id="${aim}"] .status-select`, 'agreed')
await asha.waitForSelector(`.note[data-id="${aim}"][data-status="agreed"]`)

// The Download dialog: opens with focus inside, offers both scopes and five formats.
await asha.click('#export-open')
await asha.waitForSelector('#export-dialog[role=dialog]')
// Focus moves on the next animation frame, so wait for it rather than read it once.
await asha
  .waitForFunction(() => document.activeElement?.id === 'export-heading', null, { timeout: 5000 })
  .catch(async () => fail(`focus did not move into the dialog: ${await asha.evaluate(() => document.activeElement?.id)}`))
if (!(await asha.isChecked('input[name=export-scope][value=agreed]'))) fail('"agreed" is not the default scope')
const formats = await asha.$$eval('#export-dialog button.export-download', (bs) => bs.map((b) => b.dataset.format))
if (formats.join() !== 'pdf,html,md,json,csv') fail(`formats: ${formats}`)
audits.push(await audit(asha, 'download dialog'))
await asha.screenshot({ path: join(out, 'export-dialog.png') })
const pdf = await download(asha, '#export-dialog button.export-download[data-format=pdf]')
if (!pdf.name.endsWith('.pdf') || pdf.body.subarray(0, 5).toString() !== '%PDF-') fail(`PDF download: ${pdf.name}`)
await asha.waitForFunction(() => /ready/.test(document.querySelector('#export-status')?.textContent ?? ''))
await asha.check('input[name=export-scope][value=all]')
const csv = await download(asha, '#export-dialog button.export-download[data-format=csv]')
if (!csv.name.endsWith('.csv')) fail(`CSV download: ${csv.name}`)
// Escape closes the dialog and puts focus back on the button.
await asha.focus('#export-dialog button.export-download[data-format=md]')
await asha.keyboard.press('Escape')
await asha.waitForSelector('#export-dialog', { state: 'detached' })
await asha.waitForFunction(() => document.activeElement?.id === 'export-open')

// History: the automatic snapshot is listed; save one by name.
await asha.click('#tab-history')
await asha.waitForSelector('#panel-history:not([hidden])')
await asha.waitForSelector('#snapshots li[data-auto="true"]')
await asha.fill('#snapshot-name', 'After meeting 1')
await asha.click('#snapshot-save')
const row = '#snapshots li:has(.snapshot-name:text-is("After meeting 1"))'
await asha.waitForSelector(row)
const names = await asha.$$eval('#snapshots li .snapshot-name', (hs) => hs.map((h) => h.textContent))
if (names[0] !== 'After meeting 1') fail(`newest snapshot is not first: ${names}`)
const snapshotId = await asha.getAttribute(row, 'data-id')

// Change the board, then compare.
const later = await addTo(asha, 'aims', 'Fewer missed appointments')
await asha.waitForFunction((id) => document.querySelector(`.note[data-id="${id}"] textarea`)?.value === 'Fewer missed appointments', later)
// The edit may still be on its way to the server: ask again until it shows.
await asha.click('#tab-history')
for (let tries = 0; ; tries++) {
  await asha.click(`${row} .snapshot-changes`)
  await asha.waitForSelector(`${row} .snapshot-diff .change-groups, ${row} .snapshot-diff .panel-empty`)
  if (await asha.locator(`${row} .changes-added li[data-item="${later}"]`).count()) break
  if (tries === 10) fail('the later aim never showed as added')
  await asha.click(`${row} .snapshot-changes`)
  await asha.waitForTimeout(500)
}
const added = oneLine(await asha.locator(`${row} .changes-added`).innerText())
if (!added.includes('Fewer missed appointments') || !added.includes('Asha')) fail(`changes: ${added}`)

// Open it read-only: the first aim is there, the later one is not, nothing can be edited.
await asha.click(`${row} .snapshot-open`)
await asha.waitForSelector('#snapshot-view')
const heading = oneLine(await asha.locator('#snapshot-view h3').innerText())
if (heading !== 'Snapshot: After meeting 1 (read-only)') fail(`heading: ${heading}`)
const seen = await asha.$$eval('#snapshot-view li[data-id]', (lis) => lis.map((li) => li.dataset.id))
if (!seen.includes(aim) || seen.includes(later)) fail(`read-only view shows ${seen}`)
if (await asha.locator('#snapshot-view textarea, #snapshot-view input').count()) fail('the read-only view has inputs')
audits.push(await audit(asha, 'history tab'))
// Tall enough for the panel to show the read-only view and the list together.
await asha.setViewportSize({ width: 1440, height: 2400 })
await asha.locator('#side-panel').screenshot({ path: join(out, 'history.png') })
await asha.setViewportSize({ width: 1440, height: 900 })
await asha.click('#snapshot-view .snapshot-view-close')
await asha.waitForSelector('#snapshot-view', { state: 'detached' })
await asha.waitForFunction((id) => document.activeElement?.closest('li')?.dataset.id === id, snapshotId)

// Download the snapshot: the Markdown holds the agreed aim but not the later one.
await asha.click(`${row} .snapshot-export`)
const md = await download(asha, `${row} button.export-download[data-format=md]`)
const mdText = md.body.toString()
if (!mdText.includes('Carers can get to clinic on time') || mdText.includes('Fewer missed')) fail(`snapshot Markdown:\n${mdText}`)

// Restore as a new board, after saying yes; then open it.
await asha.click(`${row} .snapshot-restore`)
const confirmText = oneLine(await asha.locator(`${row} .snapshot-confirm`).innerText())
if (!confirmText.includes('The current board stays as it is')) fail(`confirmation: ${confirmText}`)
await asha.click(`${row} .snapshot-restore-confirm`)
await asha.waitForSelector('#restored-link')
const href = await asha.getAttribute('#restored-link', 'href')
const newId = href.match(/\/b\/([0-9a-f]{32})/)?.[1]
if (!newId || newId === boardId) fail(`restored link: ${href}`)
audits.push(await audit(asha, 'history after restore'))
await asha.click('#restored-link')
await asha.waitForURL(new RegExp(`/b/${newId}$`))
// This browser already knows Asha, so the new board may not ask her name again.
await asha.waitForSelector('#join-name, .toolbar')
if (await asha.locator('#join-name').count()) await joinBoard(asha, 'Asha', 'public')
await asha.waitForSelector(`.note[data-id="${aim}"]`)
if (await asha.locator(`.note[data-id="${later}"]`).count()) fail('the restored board has the later aim')
const restoredRole = await asha.getAttribute('#access-role', 'data-role')
if (restoredRole !== 'facilitator') fail(`restored board role: ${restoredRole}`)

// A viewer sees the history but cannot save or restore.
const link = await asha.evaluate(async (id) => {
  const token = localStorage.getItem(`coboard.token.${id}`)
  const r = await fetch(`/api/boards/${id}/invites`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'viewer' })
  })
  return (await r.json()).url
}, boardId)
const vic = await person()
await vic.goto(base + link)
await joinBoard(vic, 'Vic', 'professional')
await vic.click('#tab-history')
await vic.waitForSelector(`#snapshots li[data-id="${snapshotId}"]`)
if (await vic.locator('#snapshot-name, #snapshot-save, .snapshot-restore').count()) fail('a viewer can save or restore')

const errors = [...asha.errors, ...vic.errors]
if (errors.length) fail(`page errors: ${errors.join('\n')}`)
const bad = audits.filter((a) => a.bad.length)
if (bad.length) fail(`accessibility violations: ${JSON.stringify(bad, null, 1)}`)
console.log(JSON.stringify({
  pdf: pdf.name,
  csv: csv.name,
  snapshots: names,
  added,
  restored: newId,
  audits: audits.map((a) => a.where)
}))
await browser.close()
process.exit(0)
