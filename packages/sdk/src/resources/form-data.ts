/** A file to upload: a browser File/Blob, or bytes with a name. */
export type UploadFile = File | { name: string; data: Blob | Uint8Array; type?: string };

/** Adds one file to a multipart form under `field`, keeping its name. */
export function appendUpload(form: FormData, field: string, file: UploadFile): void {
  if (file instanceof File) {
    form.append(field, file, file.name);
    return;
  }
  const blob =
    file.data instanceof Blob
      ? file.data
      : new Blob([file.data as Uint8Array<ArrayBuffer>], { type: file.type });
  form.append(field, blob, file.name);
}
