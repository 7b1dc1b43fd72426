import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_MINIMUM_GROUP_SIZE, type BusinessUsage } from '@therapy-field/sync';
import { apiClient, type ApiRequest } from '../../support/http.js';
import { startTestPlatform, type TestPlatform } from '../../support/platform.js';
import { request } from '../../support/realtime.js';
import { createAccounts, createAppointmentType, createListedTherapist, everyDay, sql, type Account } from '../../support/scheduling.js';
import { connectSocket, type ClientSocket } from '../../support/socket.js';
import { waitFor } from '../../support/wait.js';

let node: TestPlatform;
let api: ApiRequest;
let superAdmin: Account;
let hrAdmin: Account;
let otherCompanysAdmin: Account;
let therapist: Account;
let employees: Account[];
let businessId: string;
let typeId: string;
const sockets: ClientSocket[] = [];
const taken = new Set<string>();

async function createCompany(name: string, admin: Account): Promise<string> {
  const [business] = await sql<{ id: string }>(node.platform, `INSERT INTO business_accounts (company_name, plan_type, status) VALUES (:name, 'professional', 'active') RETURNING id`, { name });
  await sql(node.platform, `INSERT INTO business_admins (business_id, user_id, role) VALUES (:business, :admin, 'hr_admin') RETURNING user_id`, { business: business!.id, admin: admin.id });
  return business!.id;
}

async function enrol(employee: Account, limit: number | null): Promise<void> {
  await sql(node.platform, `INSERT INTO business_employees (business_id, user_id, enrollment_status, therapy_sessions_limit) VALUES (:businessId, :user, 'active', :limit) RETURNING id`, {
    businessId,
    user: employee.id,
    limit,
  });
}

/** Books a free slot of the therapist for `employee` through the API. */
async function book(employee: Account): Promise<string> {
  const from = new Date(Date.now() + 48 * 3600_000).toISOString();
  const to = new Date(Date.now() + 7 * 24 * 3600_000).toISOString();
  const slots = await api('GET', `/therapists/${therapist.id}/slots?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&type=${typeId}`);
  const slot = (slots.body.slots as Array<{ start: string }>).find((candidate) => !taken.has(candidate.start))!;
  taken.add(slot.start);
  const booked = await api('POST', '/appointments', { token: employee.token, body: { therapistId: therapist.id, appointmentTypeId: typeId, start: slot.start } });
  expect(booked.status, JSON.stringify(booked.body)).toBe(201);
  return booked.body.id;
}

const usage = (who: Account, id = businessId) => api('GET', `/businesses/${id}/usage`, { token: who.token });

beforeAll(async () => {
  node = await startTestPlatform();
  api = apiClient(node.url);
  superAdmin = (await createAccounts(node.platform, 'super_admin', 1))[0]!;
  [hrAdmin, otherCompanysAdmin] = (await createAccounts(node.platform, 'business_admin', 2)) as [Account, Account];
  typeId = await createAppointmentType(api, superAdmin);
  therapist = await createListedTherapist(api, node.platform, superAdmin, { templates: everyDay('00:00', '23:59') });
  businessId = await createCompany('Ελληνικά Πετρέλαια ΑΕ', hrAdmin);
  await createCompany('Other Co', otherCompanysAdmin);
  employees = await createAccounts(node.platform, 'client', BUSINESS_MINIMUM_GROUP_SIZE + 1);
  for (const [index, employee] of employees.entries()) await enrol(employee, index === 0 ? null : 4);
});
afterAll(async () => {
  sockets.forEach((socket) => socket.close());
  await node?.close();
});

describe('business usage', () => {
  it('shows enrolment but suppresses session figures while fewer than the minimum group have booked', async () => {
    for (const employee of employees.slice(0, BUSINESS_MINIMUM_GROUP_SIZE - 1)) await book(employee);
    const response = await usage(hrAdmin);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({
      businessId,
      companyName: 'Ελληνικά Πετρέλαια ΑΕ',
      employees: { invited: 0, active: BUSINESS_MINIMUM_GROUP_SIZE + 1, inactive: 0, departed: 0 },
      // One employee has no limit, so the purchased total is open-ended.
      sessionsPurchased: null,
      sessions: null,
      minimumGroupSize: BUSINESS_MINIMUM_GROUP_SIZE,
    });
    expect(new Date(response.body.asOf).getTime()).not.toBeNaN();
  });

  it('pushes totals, never an employee, to the company room once the group is large enough', async () => {
    const socket = await connectSocket(node.url, { token: hrAdmin.token });
    sockets.push(socket);
    const pushed: BusinessUsage[] = [];
    socket.on('business.usage', (update) => pushed.push(update));
    expect(await request(socket, 'room.join', { type: 'business', id: businessId })).toMatchObject({ ok: true });

    await book(employees[BUSINESS_MINIMUM_GROUP_SIZE - 1]!);
    await waitFor(() => pushed.length > 0, 10_000, 'a business.usage push');
    expect(pushed[0]!.sessions).toMatchObject({ used: BUSINESS_MINIMUM_GROUP_SIZE, employeesWithSessions: BUSINESS_MINIMUM_GROUP_SIZE });
    expect(pushed[0]!.sessions!.byMonth.reduce((sum, row) => sum + row.booked, 0)).toBe(BUSINESS_MINIMUM_GROUP_SIZE);
    expect(JSON.stringify(pushed[0])).not.toMatch(new RegExp(employees.map((employee) => employee.id).join('|')));

    const response = await usage(hrAdmin);
    expect(response.body.sessions).toEqual(pushed.at(-1)!.sessions);
  });

  it('tells an admin which companies they administer', async () => {
    const mine = await api('GET', '/businesses', { token: hrAdmin.token });
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({ businesses: [{ id: businessId, companyName: 'Ελληνικά Πετρέλαια ΑΕ', role: 'hr_admin' }] });
    expect((await api('GET', '/businesses', { token: employees[0]!.token })).status).toBe(403);
  });

  it('lets only the company’s own admins and super admins read it', async () => {
    expect((await usage(superAdmin)).status).toBe(200);
    const foreign = await usage(otherCompanysAdmin);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('NOT_FOUND');
    const employee = await usage(employees[0]!);
    expect(employee.status).toBe(403);
    expect(employee.body.error.code).toBe('FORBIDDEN');
    expect((await api('GET', `/businesses/${businessId}/usage`)).status).toBe(401);
    const malformed = await usage(hrAdmin, 'not-a-uuid');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ path: 'id' })] });

    const socket = await connectSocket(node.url, { token: otherCompanysAdmin.token });
    sockets.push(socket);
    expect(await request(socket, 'room.join', { type: 'business', id: businessId })).toMatchObject({ ok: false, error: { code: 'ROOM_FORBIDDEN' } });
  });
});
