// Withdrawing a contribution in a real browser: Fay (facilitator) makes a board and a
// contributor link; Sam (public member) joins with it, adds an aim, and withdraws it from
// the Item tab; the receipt lists what was and was not removed, and Fay's board shows
// "[withdrawn]". Sam sees no withdraw button on Fay's aim. A screenshot of the receipt
// goes to <out-dir> for the user guide.
//
//   node withdraw.mjs <base-url> <out-dir>
//
// Prints one JSON line with what was seen; exits non-zero with a message on failure.

import { join } from 'node:path'
import { launch, person as newPerson, audit, joinBoard, addTo, fail, createBoard, inviteLink } from './lib.mjs'

const [base, out] = process.argv.slice(2)
if (!base || !out) fail('usage: node withdraw.mjs <base-url> <out-dir>')
const browser = await launch()
const person = () => newPerson(browser, { width: 1440, height: 900 })
const oneLine = (s) => s.replace(/\s+/g, ' ').trim()
const audits = []

const fay = await person()
await createBoard(fay, base, 'Getting to appointments', 'coproduction-plan')
await joinBoard(fay, 'Fay', 'facilitator')
const link = await inviteLink(fay, 'contributor')
await fay.waitForSelector('.frame[data-section="aims"]')
const fays = await addTo(fay, 'aims', 'Clinic letters in plain words')

const sam = await person()
await sam.goto(link)
await joinBoard(sam, 'Sam', 'public')
await sam.waitForSelector('.frame[data-section="aims"]')
const words = 'My bus from the estate stops at six'
const mine = await addTo(sam, 'aims', words)
await fay.waitForFunction(([id, want]) => document.querySelector(`.note[data-id="${id}"] textarea`)?.value === want, [mine, words])

// Fay's aim: Sam may not withdraw it.
await sam.waitForSelector(`.note[data-id="${fays}"]`)
await sam.click(`.note[data-id="${fays}"] textarea`)
await sam.click('#tab-item')
await sam.waitForSelector('#panel-item:not([hidden])')
if (await sam.locator('#withdraw-open').count()) fail('Sam is offered to withdraw Fay\'s aim')

// Sam's own aim: withdraw it, after the confirmation.
await sam.click(`.note[data-id="${mine}"] textarea`)
await sam.click('#tab-item')
await sam.waitForSelector('#withdraw-open')
const label = oneLine(await sam.locator('#withdraw-open').innerText())
if (label !== 'Withdraw my contribution') fail(`button: ${label}`)
await sam.click('#withdraw-open')
await sam.waitForSelector('#withdraw-dialog[role=dialog]')
const explain = oneLine(await sam.locator('#withdraw-explain').innerText())
if (!explain.includes('[withdrawn]')) fail(`explanation: ${explain}`)
audits.push(await audit(sam, 'withdraw confirmation'))
await sam.click('#withdraw-confirm')
await sam.waitForSelector('#withdraw-receipt[role=dialog]')
const removed = await sam.$$eval('ul.withdraw-removed li', (lis) => lis.map((li) => li.textContent.trim()))
const kept = await sam.$$eval('ul.withdraw-not-removed li', (lis) => lis.map((li) => li.textContent.trim()))
if (!removed.length || !kept.length) fail(`receipt: ${removed} / ${kept}`)
audits.push(await audit(sam, 'withdraw receipt'))
await sam.locator('#side-panel').screenshot({ path: join(out, 'withdraw-receipt.png') })
await sam.click('#withdraw-close')
await sam.waitForSelector('#withdraw-receipt', { state: 'detached' })

// Everyone's board now shows the marker, and nobody still has the words.
for (const page of [sam, fay]) {
  await page.waitForFunction((id) => document.querySelector(`.note[data-id="${id}"] textarea`)?.value === '[withdrawn]', mine)
  const html = await page.content()
  if (html.includes(words)) fail('the withdrawn words are still on a page')
}

const errors = [...fay.errors, ...sam.errors]
if (errors.length) fail(`page errors: ${errors.join('\n')}`)
const bad = audits.filter((a) => a.bad.length)
if (bad.length) fail(`accessibility violations: ${JSON.stringify(bad, null, 1)}`)
console.log(JSON.stringify({ removed, kept, audits: audits.map((a) => a.where) }))
await browser.close()
process.exit(0)
