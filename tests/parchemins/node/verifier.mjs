// Verifies credentials issued by Parchemin with Digital Bazaar's implementation, offline.
//
// Usage: node verifier.mjs <bundle.json>
// The bundle (written by tests/parchemins/test_verification_independante.py) holds the JSON-LD
// contexts read from Parchemin's pinned local files, the issuer's DID document, the status list
// credentials and the credentials to verify. Nothing is fetched from the network: the document
// loader only answers from the bundle. Prints one JSON line per credential, then exits 0.
import {readFileSync} from 'node:fs';
import {gunzipSync} from 'node:zlib';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';

const bundle = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const documents = new Map(Object.entries(bundle.contexts));
const didDocument = bundle.did;
documents.set(didDocument.id, didDocument);
for(const method of didDocument.verificationMethod) {
  documents.set(method.id, {'@context': 'https://w3id.org/security/multikey/v1', ...method});
}
for(const [url, list] of Object.entries(bundle.statusLists)) {
  documents.set(url, list);
}

async function documentLoader(url) {
  if(!documents.has(url)) {
    throw new Error(`Document refusé (hors du paquet local) : ${url}`);
  }
  return {contextUrl: null, documentUrl: url, document: documents.get(url)};
}

const suite = new DataIntegrityProof({cryptosuite});

async function checkStatus({credential}) {
  const entry = credential.credentialStatus;
  const {document: list} = await documentLoader(entry.statusListCredential);
  const result = await vc.verifyCredential({credential: list, suite, documentLoader});
  if(!result.verified) {
    return {verified: false, error: new Error('liste de statut non vérifiée')};
  }
  const encoded = list.credentialSubject.encodedList;
  const bits = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
  const index = Number(entry.statusListIndex);
  const revoked = (bits[index >> 3] & (0x80 >> (index % 8))) !== 0;
  return {verified: !revoked};
}

for(const credential of bundle.credentials) {
  let result;
  try {
    result = await vc.verifyCredential({credential, suite, documentLoader, checkStatus});
  } catch(e) {
    result = {verified: false, error: e};
  }
  const started = process.hrtime.bigint();
  const rounds = bundle.rounds || 0;
  for(let i = 0; i < rounds; i++) {
    await vc.verifyCredential({credential, suite, documentLoader, checkStatus: async () => ({verified: true})});
  }
  const elapsedMs = rounds ? Number(process.hrtime.bigint() - started) / 1e6 / rounds : null;
  const errors = [];
  for(const err of [result.error, ...(result.results || []).map(r => r.error)]) {
    if(err) {
      errors.push(String(err.message || err));
    }
  }
  console.log(JSON.stringify({id: credential.id, verified: result.verified, errors, msPerVerify: elapsedMs}));
}
