import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { UPLOAD_ENDPOINT, UploadService } from './upload.service';

const flushMicro = () => new Promise((r) => setTimeout(r, 0));

describe('UploadService (tus)', () => {
  let http: HttpTestingController;
  let svc: UploadService;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    svc = TestBed.inject(UploadService);
  });

  afterEach(() => http.verify());

  it('creates the upload, sends the bytes, reports progress and the asset id', async () => {
    const file = new File(['hello world'], 'clip.png', { type: 'image/png', lastModified: 1 });
    const [item] = svc.add([file]);
    await flushMicro();
    const create = http.expectOne(UPLOAD_ENDPOINT);
    expect(create.request.method).toBe('POST');
    expect(create.request.headers.get('Upload-Length')).toBe('11');
    expect(create.request.headers.get('Upload-Metadata')).toBe(`filename ${btoa('clip.png')},filetype ${btoa('image/png')}`);
    create.flush(null, { status: 201, statusText: 'Created', headers: { Location: '/media/tus/u1' } });
    await flushMicro();
    const patch = http.expectOne('/media/tus/u1');
    expect(patch.request.method).toBe('PATCH');
    expect(patch.request.headers.get('Upload-Offset')).toBe('0');
    expect(patch.request.headers.get('Content-Type')).toBe('application/offset+octet-stream');
    patch.event({ type: 1, loaded: 5, total: 11 });
    expect(Math.round(item.progress() * 100)).toBe(45);
    patch.flush('{"asset":{"id":"asset-1"},"duplicate":false}', { status: 204, statusText: 'No Content', headers: { 'Upload-Offset': '11' } });
    await flushMicro();
    expect(item.status()).toBe('done');
    expect(item.progress()).toBe(1);
    expect(item.assetId()).toBe('asset-1');
    expect(localStorage.getItem(item.key)).toBeNull();
  });

  it('resumes from the offset the server reports after a failure', async () => {
    const file = new File(['0123456789'], 'v.mp4', { type: 'video/mp4', lastModified: 2 });
    const [item] = svc.add([file]);
    await flushMicro();
    http.expectOne(UPLOAD_ENDPOINT).flush(null, { status: 201, statusText: 'Created', headers: { Location: '/media/tus/u2' } });
    await flushMicro();
    http.expectOne('/media/tus/u2').error(new ProgressEvent('error'));
    await flushMicro();
    expect(item.status()).toBe('error');
    expect(localStorage.getItem(item.key)).toBe('/media/tus/u2');

    svc.resume(item);
    await flushMicro();
    const head = http.expectOne((r) => r.method === 'HEAD' && r.url === '/media/tus/u2');
    head.flush(null, { status: 200, statusText: 'OK', headers: { 'Upload-Offset': '4' } });
    await flushMicro();
    const patch = http.expectOne((r) => r.method === 'PATCH');
    expect(patch.request.headers.get('Upload-Offset')).toBe('4');
    expect((patch.request.body as Blob).size).toBe(6);
    patch.flush('', { status: 204, statusText: 'No Content', headers: { 'Upload-Offset': '10' } });
    await flushMicro();
    expect(item.status()).toBe('done');
  });

  it('a file the server refuses ends as rejected: no full bar, nothing to resume, forgotten locally', async () => {
    const file = new File(['not really a png'], 'fake.png', { type: 'image/png', lastModified: 3 });
    const [item] = svc.add([file]);
    await flushMicro();
    http.expectOne(UPLOAD_ENDPOINT).flush(null, { status: 201, statusText: 'Created', headers: { Location: '/media/tus/u3' } });
    await flushMicro();
    const patch = http.expectOne('/media/tus/u3');
    patch.event({ type: 1, loaded: 16, total: 16 });
    patch.flush({ code: 'media_type_not_allowed', message: 'This file type is not accepted' }, { status: 415, statusText: 'Unsupported Media Type' });
    await flushMicro();
    expect(item.status()).toBe('rejected');
    expect(item.progress()).toBe(0);
    expect(item.error()).toBe('This file type is not accepted');
    expect(localStorage.getItem(item.key)).toBeNull();
    svc.resume(item);
    await flushMicro();
    http.expectNone(() => true);
    svc.dismiss(item);
    expect(svc.items()).toEqual([]);
  });
});
