// "You said, we did" in real browsers: Sam (public member) adds an aim and chooses to be
// credited by initials for reports only; Fay (facilitator) records that it was adopted
// with changes (after being told a "not adopted" needs a reason). Sam comes back later
// and the board tells him what became of what he said. Screenshots go to <out-dir>.
//
//   node outcomes.mjs <base-url> <out-dir>
//
// Prints one JSON line with what was seen; exits non-zero with a message on failure.

import { join } from 'node:path'
import { launch, person as newPerson, audit, joinBoard, addTo, fail, TIMEOUT, createBoard, inviteLink } from './lib.mjs'

const [base, out] = process.argv.slice(2)
if (!base || !out) fail('usage: node outcomes.mjs <base-url> <out-dir>')
const browser = await launch()
const person = () => newPerson(browser, { width: 1440, height: 900 })
const oneLine = (s) => s.replace(/\s+/g, ' ').trim()
const audits = []

const fay = await person()
await createBoard(fay, base, 'Getting to appointments', 'coproduction-plan')
const boardUrl = fay.url()
await joinBoard(fay, 'Fay', 'facilitator')
const link = await inviteLink(fay, 'contributor')
await fay.waitForSelector('.frame[data-section="aims"]')

const sam = await person()
await sam.goto(link)
await joinBoard(sam, 'Sam Jones', 'public')
await sam.waitForSelector('.frame[data-section="aims"]')
const words = 'Appointments after the school run'
const aim = await addTo(sam, 'aims', words)

// Sam's consent: initials, for the group's reports only.
await sam.click(`.note[data-id="${aim}"] textarea`)
await sam.click('#tab-item')
await sam.waitForSelector('.consent-form')
await sam.check('input[name=consent-use][value=initials]')
await sam.check('input[name=consent-purpose][value=report]')
await sam.click('#consent-save')
await sam.waitForFunction(() => /Saved/.test(document.querySelector('.consent-form .form-status')?.textContent ?? ''))
audits.push(await audit(sam, 'consent chooser'))
await sam.locator('#side-panel').screenshot({ path: join(out, 'consent.png') })
// Sam leaves; his visit is recorded as he goes.
await sam.close()

// Fay sees no consent form on Sam's aim (the choice is his), but records the outcome.
await fay.waitForFunction(([id, want]) => document.querySelector(`.note[data-id="${id}"] textarea`)?.value === want, [aim, words])
await fay.click(`.note[data-id="${aim}"] textarea`)
await fay.click('#tab-item')
await fay.waitForSelector('#outcome-state')
if (await fay.locator('.consent-form').count()) fail('Fay is offered Sam\'s consent choice')
await fay.selectOption('#outcome-state', 'not-adopted')
await fay.click('#outcome-save')
await fay.waitForFunction(() => /why/i.test(document.querySelector('.outcome-form .form-status')?.textContent ?? ''))
const refusal = oneLine(await fay.locator('.outcome-form .form-status').innerText())
await fay.selectOption('#outcome-state', 'adapted')
await fay.fill('#outcome-reason', 'Clinics now open at 9:30 on two days a week')
await fay.click('#outcome-save')
await fay.waitForFunction(() => /Adopted with changes/.test(document.querySelector('#outcome-text')?.textContent ?? ''))
audits.push(await audit(fay, 'outcome form'))

// Sam comes back: the board tells him what became of his aim.
const back = await sam.context().newPage()
back.setDefaultTimeout(TIMEOUT)
back.errors = []
back.on('pageerror', (e) => back.errors.push(String(e)))
await back.goto(boardUrl)
await back.waitForFunction(() => window.__coboard_ready === true)
await back.click('#tab-item')
await back.waitForSelector('#your-outcomes li')
const told = oneLine(await back.locator('#your-outcomes').innerText())
if (!told.includes(words) || !told.includes('Adopted with changes') || !told.includes('9:30')) fail(`Sam was told: ${told}`)
await back.locator('#side-panel').screenshot({ path: join(out, 'outcome-reached.png') })
await back.click(`#your-outcomes li[data-item="${aim}"] button`)
await back.waitForFunction(() => /Adopted with changes/.test(document.querySelector('#outcome-text')?.textContent ?? ''))
if (await back.locator('#outcome-save').count()) fail('Sam can record outcomes')

// The impact log honours Sam's choice of initials.
const token = await back.evaluate((id) => localStorage.getItem(`coboard.token.${id}`), boardUrl.split('/').pop())
const impact = await (await fetch(`${base}/api/boards/${boardUrl.split('/').pop()}/impact?format=csv`, { headers: { Authorization: `Bearer ${token}` } })).text()
if (!impact.includes('S. J.')) fail(`impact log: ${impact}`)
if (impact.includes('Sam Jones')) fail('the impact log names Sam in full')

const errors = [...fay.errors, ...back.errors]
if (errors.length) fail(`page errors: ${errors.join('\n')}`)
const bad = audits.filter((a) => a.bad.length)
if (bad.length) fail(`accessibility violations: ${JSON.stringify(bad, null, 1)}`)
console.log(JSON.stringify({ refusal, told, audits: audits.map((a) => a.where) }))
await browser.close()
process.exit(0)
