using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RouteLLM.MLNet.Routers.MatrixFactorization;

/// <summary>
/// The one dense product MF training needs, in both directions: <c>C = A·B</c> with B and C row-major and A read
/// through strides, so that <c>X·W</c> (forward) and <c>Xᵀ·dH</c> (backward) share one register-blocked kernel.
/// Each output element is summed in a fixed order, so results are deterministic on a given machine.
/// </summary>
internal static class MatrixKernels
{
    private const int ColumnVectors = 4;

    /// <summary>
    /// Overwrites <c>c[i, :] = Σ_j a[i·aRowStride + j·aColumnStride] · b[j, :]</c> for
    /// <c>i &lt; rows</c>, <c>j &lt; inner</c>; <paramref name="b"/> is <c>inner × columns</c>, <paramref name="c"/> is
    /// <c>rows × columns</c>.
    /// </summary>
    public static void Multiply(
        ReadOnlySpan<float> a, int aRowStride, int aColumnStride,
        ReadOnlySpan<float> b, Span<float> c, int rows, int inner, int columns)
    {
        if (rows == 0 || columns == 0)
        {
            return;
        }

        var lastA = (long)(rows - 1) * aRowStride + (long)(inner - 1) * aColumnStride;
        if (inner > 0 && lastA >= a.Length || b.Length < inner * columns || c.Length < rows * columns)
        {
            throw new ArgumentException("Matrix spans are shorter than the shapes given.");
        }

        ref var a0 = ref MemoryMarshal.GetReference(a);
        ref var b0 = ref MemoryMarshal.GetReference(b);
        ref var c0 = ref MemoryMarshal.GetReference(c);
        var width = Vector<float>.Count;
        var blockColumns = width * ColumnVectors;
        var column = 0;
        for (; column + blockColumns <= columns; column += blockColumns)
        {
            var row = 0;
            for (; row + 2 <= rows; row += 2)
            {
                TwoRowsBlock(ref a0, aRowStride, aColumnStride, ref b0, ref c0, row, inner, columns, column);
            }

            if (row < rows)
            {
                OneRowBlock(ref a0, aRowStride, aColumnStride, ref b0, ref c0, row, inner, columns, column);
            }
        }

        for (; column < columns; column++)
        {
            for (var row = 0; row < rows; row++)
            {
                var sum = 0f;
                for (var j = 0; j < inner; j++)
                {
                    sum = MathF.FusedMultiplyAdd(
                        Unsafe.Add(ref a0, row * aRowStride + j * aColumnStride), Unsafe.Add(ref b0, j * columns + column), sum);
                }

                Unsafe.Add(ref c0, row * columns + column) = sum;
            }
        }
    }

    // 2 rows × 4 vectors: 8 accumulators, 4 loads and 2 broadcasts per step, which fits AVX2's 16 registers.
    private static void TwoRowsBlock(
        ref float a0, int aRowStride, int aColumnStride, ref float b0, ref float c0, int row, int inner, int columns, int column)
    {
        var width = Vector<float>.Count;
        Vector<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector<float> c10 = default, c11 = default, c12 = default, c13 = default;
        var aRow0 = row * aRowStride;
        var aRow1 = aRow0 + aRowStride;
        for (var j = 0; j < inner; j++)
        {
            ref var bj = ref Unsafe.Add(ref b0, j * columns + column);
            var b_0 = Vector.LoadUnsafe(ref bj);
            var b_1 = Vector.LoadUnsafe(ref bj, (nuint)width);
            var b_2 = Vector.LoadUnsafe(ref bj, (nuint)(2 * width));
            var b_3 = Vector.LoadUnsafe(ref bj, (nuint)(3 * width));
            var x0 = new Vector<float>(Unsafe.Add(ref a0, aRow0 + j * aColumnStride));
            var x1 = new Vector<float>(Unsafe.Add(ref a0, aRow1 + j * aColumnStride));
            c00 = Vector.FusedMultiplyAdd(x0, b_0, c00);
            c01 = Vector.FusedMultiplyAdd(x0, b_1, c01);
            c02 = Vector.FusedMultiplyAdd(x0, b_2, c02);
            c03 = Vector.FusedMultiplyAdd(x0, b_3, c03);
            c10 = Vector.FusedMultiplyAdd(x1, b_0, c10);
            c11 = Vector.FusedMultiplyAdd(x1, b_1, c11);
            c12 = Vector.FusedMultiplyAdd(x1, b_2, c12);
            c13 = Vector.FusedMultiplyAdd(x1, b_3, c13);
        }

        ref var r0 = ref Unsafe.Add(ref c0, row * columns + column);
        c00.StoreUnsafe(ref r0);
        c01.StoreUnsafe(ref r0, (nuint)width);
        c02.StoreUnsafe(ref r0, (nuint)(2 * width));
        c03.StoreUnsafe(ref r0, (nuint)(3 * width));
        ref var r1 = ref Unsafe.Add(ref r0, columns);
        c10.StoreUnsafe(ref r1);
        c11.StoreUnsafe(ref r1, (nuint)width);
        c12.StoreUnsafe(ref r1, (nuint)(2 * width));
        c13.StoreUnsafe(ref r1, (nuint)(3 * width));
    }

    private static void OneRowBlock(
        ref float a0, int aRowStride, int aColumnStride, ref float b0, ref float c0, int row, int inner, int columns, int column)
    {
        var width = Vector<float>.Count;
        Vector<float> c00 = default, c01 = default, c02 = default, c03 = default;
        var aRow0 = row * aRowStride;
        for (var j = 0; j < inner; j++)
        {
            ref var bj = ref Unsafe.Add(ref b0, j * columns + column);
            var x0 = new Vector<float>(Unsafe.Add(ref a0, aRow0 + j * aColumnStride));
            c00 = Vector.FusedMultiplyAdd(x0, Vector.LoadUnsafe(ref bj), c00);
            c01 = Vector.FusedMultiplyAdd(x0, Vector.LoadUnsafe(ref bj, (nuint)width), c01);
            c02 = Vector.FusedMultiplyAdd(x0, Vector.LoadUnsafe(ref bj, (nuint)(2 * width)), c02);
            c03 = Vector.FusedMultiplyAdd(x0, Vector.LoadUnsafe(ref bj, (nuint)(3 * width)), c03);
        }

        ref var r0 = ref Unsafe.Add(ref c0, row * columns + column);
        c00.StoreUnsafe(ref r0);
        c01.StoreUnsafe(ref r0, (nuint)width);
        c02.StoreUnsafe(ref r0, (nuint)(2 * width));
        c03.StoreUnsafe(ref r0, (nuint)(3 * width));
    }
}
