/**
 * The scan screen's camera: `getUserMedia` with a front/back switch (by facing
 * mode, or by cycling the video inputs when several are listed), started at
 * once when the permission is already granted (kiosk) and stopped on leave.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { RefObject } from "preact";
import { useLatest } from "./use_latest.ts";

export type CamState = "idle" | "starting" | "on" | "error";
export type Facing = "environment" | "user";

/** Why the camera did not start: a translation key (`fd.scan.err.*`) and its parameters. */
export interface CameraError {
  key: string;
  params?: Record<string, string>;
}

/** Maps a `getUserMedia` failure (DOMException name) to a {@link CameraError}. */
export function cameraError(e: unknown): CameraError {
  const name = (e as { name?: string })?.name ?? "";
  if (name === "NotAllowedError" || name === "SecurityError" || name === "PermissionDeniedError") {
    return { key: "fd.scan.err.not_allowed" };
  }
  if (name === "NotFoundError" || name === "OverconstrainedError" || name === "DevicesNotFoundError") {
    return { key: "fd.scan.err.not_found" };
  }
  if (name === "NotReadableError" || name === "TrackStartError" || name === "AbortError") {
    return { key: "fd.scan.err.not_readable" };
  }
  return { key: "fd.scan.err.other", params: { name: name || String(e) } };
}

export interface Camera {
  videoRef: RefObject<HTMLVideoElement>;
  state: CamState;
  error: CameraError | null;
  facing: Facing;
  /** More than one camera (or unknown): offer the switch button. */
  canSwitch: boolean;
  /** Front camera without a device list: show the picture mirrored. */
  mirrored: boolean;
  start: (opts?: { facing?: Facing; deviceId?: string }) => Promise<void>;
  stop: () => void;
  switchCamera: () => void;
}

/** The camera of the scan screen (see the module comment). */
export function useCamera(): Camera {
  const videoRef = useRef<HTMLVideoElement>(null);
  const streamRef = useRef<MediaStream | null>(null);
  const devices = useRef<MediaDeviceInfo[]>([]);
  const deviceIdx = useRef(-1);
  const [state, setState] = useState<CamState>("idle");
  const [error, setError] = useState<CameraError | null>(null);
  const [facing, setFacing] = useState<Facing>("environment");
  const [canSwitch, setCanSwitch] = useState(true);
  const [deviceCount, setDeviceCount] = useState(0);

  function stop() {
    streamRef.current?.getTracks().forEach((t) => t.stop());
    streamRef.current = null;
    if (videoRef.current) videoRef.current.srcObject = null;
    setState("idle");
  }

  async function start(opts: { facing?: Facing; deviceId?: string } = {}) {
    if (!navigator.mediaDevices?.getUserMedia) {
      setState("error");
      setError({ key: "fd.scan.err.insecure" });
      return;
    }
    stop();
    setState("starting");
    setError(null);
    const video: MediaTrackConstraints = opts.deviceId
      ? { deviceId: { exact: opts.deviceId } }
      : { facingMode: { ideal: opts.facing ?? facing }, width: { ideal: 1280 }, height: { ideal: 720 } };
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video, audio: false });
      streamRef.current = stream;
      const v = videoRef.current!;
      v.srcObject = stream;
      v.muted = true;
      await v.play().catch(() => {});
      setState("on");
      try {
        devices.current = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === "videoinput");
        const current = stream.getVideoTracks()[0]?.getSettings().deviceId;
        deviceIdx.current = devices.current.findIndex((d) => d.deviceId === current);
        setCanSwitch(devices.current.length !== 1);
        setDeviceCount(devices.current.length);
      } catch { /* keep the facing-mode switch */ }
    } catch (e) {
      setState("error");
      setError(cameraError(e));
    }
  }

  function switchCamera() {
    if (devices.current.length > 1) {
      deviceIdx.current = (deviceIdx.current + 1) % devices.current.length;
      start({ deviceId: devices.current[deviceIdx.current].deviceId });
      return;
    }
    const next = facing === "environment" ? "user" : "environment";
    setFacing(next);
    start({ facing: next });
  }

  const latest = useLatest({ start, stop });
  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        const p = await navigator.permissions?.query({ name: "camera" as PermissionName });
        if (!cancelled && p?.state === "granted") latest.current.start();
      } catch { /* browser without the camera permission name: wait for the button */ }
    })();
    return () => {
      cancelled = true;
      latest.current.stop();
    };
  }, []);

  return {
    videoRef,
    state,
    error,
    facing,
    canSwitch,
    mirrored: facing === "user" && deviceCount <= 1,
    start,
    stop,
    switchCamera,
  };
}
