import { checkWebhookTarget, parseWebhookUrl, refusedAddress, type HostResolver } from '../src/services/webhookTargets';

// The SSRF rules over literal addresses and an injected resolver: nothing here touches the network.
const resolverOf = (table: Record<string, string[]>): HostResolver => async (host) => {
  const addresses = table[host];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return addresses;
};
const noDns: HostResolver = async (host) => {
  throw new Error(`no DNS in this test (asked for ${host})`);
};

describe('refusedAddress in production', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fc00::1', 'private'],
    ['fdab:1234::1', 'private'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['100.64.0.1', 'CGNAT'],
    ['100.127.255.255', 'CGNAT'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['ff02::1', 'multicast'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['168.63.129.16', 'metadata'],
    // IPv4 dressed as IPv6: mapped, compatible, NAT64 and 6to4 forms all lead to the IPv4 address.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['0:0:0:0:0:ffff:c0a8:0101', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::10.0.0.1', 'private'],
    ['2002:7f00:1::', 'loopback'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
  ])('refuses %s (%s)', (address, kind) => {
    const reason = refusedAddress(address, true);
    expect(reason).not.toBeNull();
    const words: Record<string, string> = {
      loopback: 'loopback', private: 'private', 'link-local': 'link-local', CGNAT: 'CGNAT', unspecified: 'unspecified',
      multicast: 'multicast', metadata: 'metadata', reserved: 'reserved',
    };
    expect(reason).toContain(words[kind]);
  });

  it.each(['8.8.8.8', '1.1.1.1', '100.63.255.255', '100.128.0.0', '172.15.255.255', '172.32.0.0', '192.169.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8', '2606:4700::1111'])(
    'allows the public address %s',
    (address) => {
      expect(refusedAddress(address, true)).toBeNull();
    },
  );

  it('refuses what is not an address', () => {
    expect(refusedAddress('example.in', true)).toContain('not an IP address');
    expect(refusedAddress('1:2:3:4:5:6:7:8:9', true)).toContain('not an IP address');
  });
});

describe('refusedAddress in development', () => {
  it('allows loopback and private addresses, so a developer can receive locally', () => {
    expect(refusedAddress('127.0.0.1', false)).toBeNull();
    expect(refusedAddress('::1', false)).toBeNull();
    expect(refusedAddress('192.168.1.20', false)).toBeNull();
  });

  it('still refuses cloud metadata services', () => {
    expect(refusedAddress('169.254.169.254', false)).toContain('metadata');
    expect(refusedAddress('::ffff:169.254.169.254', false)).toContain('metadata');
  });
});

describe('parseWebhookUrl', () => {
  it('wants https in production, and allows http outside it', () => {
    expect(parseWebhookUrl('http://shop.example.in/hooks', true)).toEqual({ ok: false, reason: 'must use https' });
    expect(parseWebhookUrl('http://shop.example.in/hooks', false).ok).toBe(true);
    expect(parseWebhookUrl('ftp://shop.example.in/hooks', false).ok).toBe(false);
    expect(parseWebhookUrl('javascript:alert(1)', false).ok).toBe(false);
  });

  it('refuses credentials, relative and over-long URLs', () => {
    expect(parseWebhookUrl('https://user:pass@shop.example.in/hooks', true)).toEqual({ ok: false, reason: 'must not contain a user name or password' });
    expect(parseWebhookUrl('https://user@shop.example.in/hooks', true).ok).toBe(false);
    expect(parseWebhookUrl('/hooks', true).ok).toBe(false);
    expect(parseWebhookUrl(`https://shop.example.in/${'a'.repeat(2100)}`, true).ok).toBe(false);
  });
});

describe('checkWebhookTarget', () => {
  const production = (resolve: HostResolver = noDns) => ({ production: true, resolve });

  it('accepts an https URL whose host resolves only to public addresses, and answers them', async () => {
    const result = await checkWebhookTarget('https://hooks.shop.example.in/dakgraph?token=abc', production(resolverOf({ 'hooks.shop.example.in': ['203.0.114.7', '2606:4700::6810:84e5'] })));
    expect(result).toMatchObject({ ok: true, addresses: ['203.0.114.7', '2606:4700::6810:84e5'] });
  });

  it('refuses a host with any non-public address among its records (any one might be connected to)', async () => {
    const result = await checkWebhookTarget('https://mixed.example.in/', production(resolverOf({ 'mixed.example.in': ['8.8.8.8', '10.0.0.5'] })));
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('10.0.0.5, a private address') });
  });

  it('refuses literal loopback, private and metadata addresses without asking DNS', async () => {
    for (const url of ['https://127.0.0.1/', 'https://[::1]/', 'https://[::ffff:127.0.0.1]:8443/x', 'https://10.0.0.1/', 'https://169.254.169.254/latest/meta-data/', 'https://[fd00:ec2::254]/']) {
      expect(await checkWebhookTarget(url, production())).toMatchObject({ ok: false });
    }
  });

  it('sees through the numeric spellings of 127.0.0.1 that URL parsing normalises', async () => {
    for (const url of ['https://2130706433/', 'https://0x7f.1/', 'https://0177.0.0.1/', 'https://127.1/']) {
      expect(await checkWebhookTarget(url, production())).toEqual({ ok: false, reason: expect.stringContaining('127.0.0.1, a loopback address') });
    }
  });

  it('refuses localhost names and hosts that do not resolve', async () => {
    expect(await checkWebhookTarget('https://localhost/', production())).toMatchObject({ ok: false });
    expect(await checkWebhookTarget('https://api.localhost/', production())).toMatchObject({ ok: false });
    expect(await checkWebhookTarget('https://nowhere.example.in/', production(resolverOf({})))).toEqual({ ok: false, reason: expect.stringContaining('does not resolve') });
    expect(await checkWebhookTarget('https://empty.example.in/', production(resolverOf({ 'empty.example.in': [] })))).toMatchObject({ ok: false });
  });

  it('refuses a name that resolves to a private address (a rebinding-style name)', async () => {
    const result = await checkWebhookTarget('https://internal.example.in/', production(resolverOf({ 'internal.example.in': ['::ffff:192.168.0.10'] })));
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('a private address') });
  });

  it('allows http and loopback in development, and still refuses metadata there', async () => {
    const development = { production: false, resolve: resolverOf({ localhost: ['127.0.0.1'] }) };
    expect(await checkWebhookTarget('http://127.0.0.1:9999/hooks', development)).toMatchObject({ ok: true, addresses: ['127.0.0.1'] });
    expect(await checkWebhookTarget('http://localhost:9999/hooks', development)).toMatchObject({ ok: true, addresses: ['127.0.0.1'] });
    expect(await checkWebhookTarget('http://169.254.169.254/', development)).toMatchObject({ ok: false });
  });
});
