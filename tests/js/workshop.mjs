// A short co-production session in two real browsers: a public member (who created the
// board, so holds its facilitator link) and a professional (with a contributor link) add
// aims and priorities to a project plan, vote on the priorities, agree the top one, and
// both see the same ranking and the same decision. Screenshots go to <out-dir> for the
// user guide.
//
//   node workshop.mjs <base-url> <out-dir>
//
// Prints one JSON line with what both people saw; exits non-zero with a message on failure.

import { join } from 'node:path'
import { writeFileSync } from 'node:fs'
import { launch, person as newPerson, audit, joinBoard, addTo, fail, inviteLink } from './lib.mjs'

const [base, out] = process.argv.slice(2)
const browser = await launch()
const person = () => newPerson(browser, { width: 1440, height: 900 })

async function textOf (page, id) {
  return page.locator(`.note[data-id="${id}"] textarea`).first().inputValue()
}

async function ranking (page) {
  return page.$$eval('ol.ranking li', (lis) => lis.map((li) => ({
    item: li.dataset.item || li.getAttribute('data-item') || '',
    rank: Number(li.dataset.rank),
    votes: Number(li.dataset.votes),
    text: li.innerText.replace(/\s+/g, ' ').trim()
  })))
}

const audits = []
const asha = await person()
await asha.goto(base + '/')
await asha.waitForSelector('#board-title')
await asha.fill('#board-title', 'Getting to appointments')
await asha.check('input[name=template][value=coproduction-plan]')
await asha.screenshot({ path: join(out, 'template-chooser.png') })
await asha.click('#create-board')
await asha.waitForURL(/\/b\/[0-9a-f]{32}$/)
await joinBoard(asha, 'Asha', 'public')

// Asha invites Ben, a professional, with a contributor link.
const benLink = await inviteLink(asha, 'contributor')
const ben = await person()
await ben.goto(benLink)
await joinBoard(ben, 'Ben', 'professional')

// The template's frames and help are there for both.
for (const page of [asha, ben]) {
  await page.waitForSelector('.frame[data-section="aims"]')
  await page.waitForSelector('.frame[data-section="stage-delivery"]')
}
await ben.click('.frame[data-section="aims"] .frame-help')
await ben.waitForSelector('.frame[data-section="aims"] .frame-help-text')
await ben.screenshot({ path: join(out, 'frame-help.png') })

// The glossary opens from the toolbar and closes with Escape, focus back on its button.
await ben.click('#glossary-open')
await ben.waitForSelector('#glossary dt')
audits.push(await audit(ben, 'glossary'))
await ben.keyboard.press('Escape')
await ben.waitForSelector('#glossary', { state: 'detached' })
await ben.waitForFunction(() => document.activeElement?.id === 'glossary-open')
await ben.click('.frame[data-section="aims"] .frame-help')
await ben.waitForSelector('.frame[data-section="aims"] .frame-help-text', { state: 'detached' })

// Aims from both; each sees the other's.
const aimA = await addTo(asha, 'aims', 'Carers can get to clinic on time')
const aimB = await addTo(ben, 'aims', 'Fewer missed appointments')
for (const [page, id, want] of [[ben, aimA, 'Carers can get to clinic on time'], [asha, aimB, 'Fewer missed appointments']]) {
  await page.waitForFunction(([id, want]) => document.querySelector(`.note[data-id="${id}"] textarea`)?.value === want, [id, want])
}

const aims = [await textOf(asha, aimA), await textOf(asha, aimB)]

// Priorities, then a voting round on them (Asha holds the facilitator link).
const p1 = await addTo(asha, 'priorities', 'Buses that match clinic times')
const p2 = await addTo(ben, 'priorities', 'Text reminders the day before')
const p3 = await addTo(asha, 'priorities', 'Evening appointments')
for (const page of [asha, ben]) {
  await page.waitForFunction((ids) => ids.every((id) => document.querySelector(`.note[data-id="${id}"]`)), [p1, p2, p3])
}
await asha.click('#tab-voting')
await asha.fill('#round-title', 'Which matter most?')
await asha.fill('#round-budget', '3')
await asha.selectOption('#round-section', 'priorities')
await asha.click('#round-start')
await ben.click('#tab-voting')
for (const page of [asha, ben]) {
  await page.waitForSelector(`ul.candidates li[data-item="${p1}"] .dot-add`)
}
audits.push(await audit(ben, 'voting'))
async function vote (page, item, n) {
  for (let i = 0; i < n; i++) {
    await page.click(`ul.candidates li[data-item="${item}"] .dot-add`)
  }
}
await vote(asha, p1, 2)
await vote(asha, p3, 1)
await vote(ben, p1, 1)
await vote(ben, p2, 2)
// Both see the same live ranking: p1 3 votes, then p2 2, then p3 1.
const want = [[p1, 3], [p2, 2], [p3, 1]]
for (const page of [asha, ben]) {
  await page.waitForFunction((want) => {
    const lis = [...document.querySelectorAll('ol.ranking li')]
    return want.every(([id, v], i) => lis[i] && lis[i].dataset.item === id && Number(lis[i].dataset.votes) === v)
  }, want)
}
const rankA = await ranking(asha)
const rankB = await ranking(ben)
if (JSON.stringify(rankA) !== JSON.stringify(rankB)) fail(`rankings differ:\n${JSON.stringify(rankA)}\n${JSON.stringify(rankB)}`)
await asha.click('.round-close')
await ben.waitForSelector('article.round[data-state="closed"]')
await asha.screenshot({ path: join(out, 'voting.png') })

// Ben, a contributor, cannot record the agreement: that is the facilitator's to do.
if (await ben.locator(`.note[data-id="${p1}"] .status-select option[value="agreed"]:not([disabled])`).count()) {
  fail('a contributor is offered to mark an item agreed')
}
// Asha, facilitating, records the group's agreement; both see it, with the decision.
await asha.selectOption(`.note[data-id="${p1}"] .status-select`, 'agreed')
for (const page of [asha, ben]) {
  await page.waitForSelector(`.note[data-id="${p1}"][data-status="agreed"] .badge-agreed`)
  await page.click(`.note[data-id="${p1}"] textarea`)
  await page.click('#tab-item')
  await page.waitForSelector('.decision-record')
}
const decisionA = (await asha.locator('.decision-record').innerText()).replace(/\s+/g, ' ')
const decisionB = (await ben.locator('.decision-record').innerText()).replace(/\s+/g, ' ')
if (decisionA !== decisionB) fail(`decisions differ:\n${decisionA}\n${decisionB}`)
for (const who of ['Asha', 'Ben']) {
  if (!decisionA.includes(who)) fail(`the decision does not list ${who} as present: ${decisionA}`)
}
audits.push(await audit(asha, 'board with decision'))

// A comment from Ben reaches Asha.
await ben.fill('#comment-text', 'Can we ask the bus company this month?')
await ben.click('#comment-add')
await asha.waitForFunction(() => [...document.querySelectorAll('#comments li')].some((li) => li.innerText.includes('bus company this month')))

// The balance panel counts both roles.
await asha.click('#tab-participation')
await asha.waitForSelector('table#participation')
const balance = (await asha.locator('table#participation').innerText()).replace(/\s+/g, ' ')
audits.push(await audit(asha, 'balance'))
await asha.screenshot({ path: join(out, 'plan-board.png') })

// The stage plan table: Ben fills in "how" for the delivery stage; Asha sees it.
await ben.click('#view-table')
await ben.waitForSelector('table#stage-table')
const how = ben.locator('table#stage-table tr').nth(4).locator('textarea[data-field="how"]')
await how.click()
await how.pressSequentially('Peer researchers with paid training')
await asha.click('#view-table')
await asha.waitForFunction(() => [...document.querySelectorAll('table#stage-table textarea[data-field="how"]')].some((t) => t.value === 'Peer researchers with paid training'))
audits.push(await audit(asha, 'plan table'))
await asha.screenshot({ path: join(out, 'stage-table.png') })

// The agreed plan, exported as Asha's browser would download it, kept for the user guide.
const boardId = new URL(asha.url()).pathname.split('/').pop()
const pdf = await asha.evaluate(async (id) => {
  const token = localStorage.getItem(`coboard.token.${id}`)
  const r = await fetch(`/api/boards/${id}/export?format=pdf&scope=agreed`, { headers: { Authorization: `Bearer ${token}` } })
  const bytes = new Uint8Array(await r.arrayBuffer())
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return { status: r.status, type: r.headers.get('content-type'), b64: btoa(s) }
}, boardId)
if (pdf.status !== 200 || pdf.type !== 'application/pdf') fail(`PDF export: ${pdf.status} ${pdf.type}`)
writeFileSync(join(out, 'plan.pdf'), Buffer.from(pdf.b64, 'base64'))

const errors = [...asha.errors, ...ben.errors]
if (errors.length) fail(`page errors: ${errors.join('\n')}`)
const bad = audits.filter((a) => a.bad.length)
if (bad.length) fail(`accessibility violations: ${JSON.stringify(bad, null, 1)}`)
console.log(JSON.stringify({ aims, ranking: rankA.map((r) => [r.rank, r.votes]), decision: decisionA, balance, audits: audits.map((a) => a.where) }))
await browser.close()
process.exit(0)
