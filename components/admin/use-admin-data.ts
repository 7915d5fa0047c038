"use client";
/** Loads one admin resource on mount (and whenever `version` changes), with its error. */
import { useEffect, useState } from "react";
import { errorText } from "@/components/auth/error-text";
import type { Text } from "@/components/i18n/text";

export function useAdminData<T>(load: () => Promise<T>, version = 0) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Text | null>(null);
  useEffect(() => {
    let live = true;
    load().then(
      (value) => live && (setData(value), setError(null)),
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
    // `load` is a module-level API function; only `version` asks for a reload.
  }, [version]);
  return { data, setData, error, setError };
}
