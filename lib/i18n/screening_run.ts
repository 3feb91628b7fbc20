import type { Dict } from "./types.ts";
/**
 * The on-device screening run: page `/screening` and the `ScreeningRun` island (intro dialogs, consent
 * step, camera, pictures, pauses, repeat offer, errors). docs/screening-engine.md.
 */
const dict: Dict = {
  id: {
    "srun.title": "Skrining emosi",
    "srun.subtitle": "14 gambar, sekitar {minutes} menit. Semua pengolahan kamera terjadi di perangkat ini.",
    "srun.noscript":
      "Skrining ini membutuhkan JavaScript dan kamera: pengenalan wajah berjalan di browser Anda, bukan di server. Aktifkan JavaScript untuk memulai.",
    "srun.step": "Langkah {n} dari 3",
    "srun.next": "Lanjut",
    "srun.back": "Kembali",
    "srun.intro1.title": "Putar ponsel Anda",
    "srun.intro1.body":
      "Gambar tampil paling baik dalam posisi mendatar (landscape). Putar ponsel, cari tempat yang terang, dan letakkan ponsel sehingga wajah Anda terlihat kamera depan.",
    "srun.intro2.title": "Cara kerjanya",
    "srun.intro2.body1": "Anda akan melihat {count} gambar, masing-masing selama {seconds} detik.",
    "srun.intro2.body2":
      "Lihat saja gambarnya dengan tenang; tidak ada jawaban benar atau salah. Kamera memperkirakan ekspresi wajah Anda saat melihat tiap gambar.",
    "srun.intro2.body3":
      "Jika wajah tidak terlihat selama 3 detik atau Anda berpindah tab, skrining berhenti sejenak dan lanjut sendiri.",
    "srun.consent.title": "Persetujuan",
    "srun.consent.device":
      "Gambar kamera diolah hanya di perangkat ini. Tidak ada foto atau video yang dikirim atau disimpan.",
    "srun.consent.stored":
      "Yang disimpan: untuk tiap gambar, jumlah frame, jumlah frame dengan wajah, dan berapa kali tiap emosi paling kuat — hanya angka — beserta hasil skrining. Data ini dienkripsi.",
    "srun.consent.access":
      "Hasil dapat Anda lihat, dan psikolog yang Anda pesan dapat membacanya (setiap pembacaan dicatat). Admin tidak dapat membacanya.",
    "srun.consent.not_diagnosis":
      "Ini alat bantu skrining, bukan diagnosis. Hasilnya tidak menggantikan percakapan dengan psikolog.",
    "srun.consent.delete": "Anda dapat menghapus hasil skrining kapan saja dari riwayat.",
    "srun.consent.agree": "Saya sudah membaca dan setuju",
    "srun.consent.start": "Setuju dan mulai",
    "srun.consent.saving": "Menyimpan persetujuan…",
    "srun.preparing": "Menyiapkan kamera dan model di perangkat…",
    "srun.privacy_badge": "Diolah di perangkat ini · tidak ada gambar yang dikirim",
    "srun.face_found": "Wajah terlihat",
    "srun.face_missing": "Wajah tidak terlihat",
    "srun.engine": "Mesin: {backend} ({mode}) · {fps} frame/detik",
    "srun.mode.worker": "worker",
    "srun.mode.main": "thread utama",
    "srun.picture": "Gambar {n} dari {total}",
    "srun.seconds_left": "{seconds} dtk",
    "srun.progress": "Kemajuan keseluruhan",
    "srun.paused.no_face": "Dijeda: wajah tidak terlihat selama 3 detik. Arahkan wajah ke kamera untuk melanjutkan.",
    "srun.paused.hidden": "Dijeda karena halaman tidak terlihat.",
    "srun.rotate": "Putar ponsel ke posisi mendatar untuk tampilan terbaik.",
    "srun.cancel": "Batalkan",
    "srun.submitting": "Menghitung dan menyimpan hasil…",
    "srun.repeat.title": "Wajah kurang terlihat",
    "srun.repeat.body":
      "Pada {count} dari {total} gambar wajah Anda terlihat kurang dari separuh waktu, jadi hasilnya tidak dapat dihitung dengan baik. Tidak ada yang disimpan. Cari tempat yang lebih terang dan coba lagi.",
    "srun.repeat.again": "Ulangi skrining",
    "srun.retry": "Coba lagi",
    "srun.err.unsupported": "Browser ini tidak dapat membuka kamera (perlu koneksi aman HTTPS dan browser terbaru).",
    "srun.err.camera_denied":
      "Akses kamera ditolak. Izinkan kamera untuk situs ini di pengaturan browser, lalu coba lagi.",
    "srun.err.no_camera": "Tidak ada kamera yang ditemukan di perangkat ini.",
    "srun.err.camera_busy": "Kamera sedang dipakai aplikasi lain atau tidak dapat dibuka.",
    "srun.err.engine":
      "Model pengenalan wajah tidak dapat dijalankan di browser ini (tidak ada WebGPU, WebGL, WebAssembly yang berfungsi).",
    "srun.err.stimuli": "Gambar skrining tidak dapat dimuat. Periksa koneksi dan coba lagi.",
    "srun.err.consent": "Persetujuan tidak dapat disimpan. Coba lagi.",
    "srun.err.consent_expired": "Persetujuan sudah kedaluwarsa. Berikan persetujuan lagi untuk menyimpan hasil.",
    "srun.err.submit": "Hasil tidak dapat disimpan. Coba lagi.",
    "srun.err.changed": "Gambar skrining baru saja diperbarui. Mulai lagi untuk memakai set terbaru.",
    "srun.history": "Riwayat skrining",
  },
  en: {
    "srun.title": "Emotion screening",
    "srun.subtitle": "14 pictures, about {minutes} minutes. All camera processing happens on this device.",
    "srun.noscript":
      "This screening needs JavaScript and a camera: face recognition runs in your browser, not on the server. Turn JavaScript on to start.",
    "srun.step": "Step {n} of 3",
    "srun.next": "Next",
    "srun.back": "Back",
    "srun.intro1.title": "Turn your phone",
    "srun.intro1.body":
      "The pictures look best in landscape. Turn your phone sideways, find a well-lit place and stand the phone so that the front camera sees your face.",
    "srun.intro2.title": "How it works",
    "srun.intro2.body1": "You will see {count} pictures, each for {seconds} seconds.",
    "srun.intro2.body2":
      "Just look at each picture calmly; there are no right or wrong answers. The camera estimates your facial expression while you look.",
    "srun.intro2.body3":
      "If your face is not seen for 3 seconds or you switch tabs, the screening pauses and then carries on by itself.",
    "srun.consent.title": "Consent",
    "srun.consent.device": "Camera images are processed only on this device. No photo or video is sent or stored.",
    "srun.consent.stored":
      "What is stored: for each picture, the number of frames, the frames with a face and how often each emotion was the strongest — numbers only — and the screening result. It is encrypted.",
    "srun.consent.access":
      "You can see the result, and a psychologist you booked can read it (every read is logged). Admins cannot read it.",
    "srun.consent.not_diagnosis":
      "This is a screening aid, not a diagnosis. It does not replace a conversation with a psychologist.",
    "srun.consent.delete": "You can delete a screening result at any time from your history.",
    "srun.consent.agree": "I have read this and agree",
    "srun.consent.start": "Agree and start",
    "srun.consent.saving": "Saving your consent…",
    "srun.preparing": "Preparing the camera and the on-device models…",
    "srun.privacy_badge": "Processed on this device · no image is sent",
    "srun.face_found": "Face found",
    "srun.face_missing": "No face",
    "srun.engine": "Engine: {backend} ({mode}) · {fps} frames/s",
    "srun.mode.worker": "worker",
    "srun.mode.main": "main thread",
    "srun.picture": "Picture {n} of {total}",
    "srun.seconds_left": "{seconds} s",
    "srun.progress": "Overall progress",
    "srun.paused.no_face": "Paused: no face seen for 3 seconds. Face the camera to carry on.",
    "srun.paused.hidden": "Paused because the page is not visible.",
    "srun.rotate": "Turn your phone to landscape for the best view.",
    "srun.cancel": "Cancel",
    "srun.submitting": "Computing and saving the result…",
    "srun.repeat.title": "Your face was not seen enough",
    "srun.repeat.body":
      "On {count} of {total} pictures your face was seen less than half of the time, so no reliable result can be computed. Nothing was stored. Find a brighter place and try again.",
    "srun.repeat.again": "Repeat the screening",
    "srun.retry": "Try again",
    "srun.err.unsupported":
      "This browser cannot open the camera (it needs a secure HTTPS connection and a current browser).",
    "srun.err.camera_denied":
      "Camera access was denied. Allow the camera for this site in the browser settings, then try again.",
    "srun.err.no_camera": "No camera was found on this device.",
    "srun.err.camera_busy": "The camera is in use by another app or cannot be opened.",
    "srun.err.engine": "The face model cannot run in this browser (no working WebGPU, WebGL or WebAssembly).",
    "srun.err.stimuli": "The screening pictures could not be loaded. Check your connection and try again.",
    "srun.err.consent": "Your consent could not be saved. Try again.",
    "srun.err.consent_expired": "Your consent has expired. Give it again to save the result.",
    "srun.err.submit": "The result could not be saved. Try again.",
    "srun.err.changed": "The screening pictures were just updated. Start again to use the newest set.",
    "srun.history": "Screening history",
  },
};
export default dict;
